import type { MetaNodeContext } from '../server/meta-context.ts';

/** Prometheus text exposition of meta's view of the cluster. */
export function renderMetrics(ctx: MetaNodeContext): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Record<string, string | number>, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, '_')}"`).join(',');
      lines.push(`${name}${l ? `{${l}}` : ''} ${value}`);
    }
  };
  const workers = ctx.cluster.all();
  metric('tributary_worker_up', 'gauge', 'Worker state (1 running, 0 otherwise).',
    workers.map((w) => [{ worker_id: w.workerId, role: w.role, address: w.address }, w.state === 'running' ? 1 : 0]));
  const recoveries = ctx.recoveryLog.all();
  metric('tributary_recoveries_total', 'counter', 'Recoveries of the streaming graph since the meta store was created (last 1000 kept).', [[{}, recoveries.length]]);
  const last = recoveries.at(-1);
  metric('tributary_last_recovery_rto_ms', 'gauge', 'Detection to recovered time of the latest recovery.', last ? [[{}, last.recoveredAt - last.detectedAt]] : []);
  const rebalances = ctx.rebalanceLog.all();
  metric('tributary_rebalances_total', 'counter', 'Rebalances of actors onto joining compute nodes, by mode (online, or recovery when nothing could move online).',
    (['online', 'recovery'] as const).map((mode) => [{ mode }, rebalances.filter((r) => r.mode === mode).length]));
  const lastRebalance = rebalances.at(-1);
  metric('tributary_last_rebalance_duration_ms', 'gauge', 'Start to commit time of the latest rebalance.', lastRebalance ? [[{}, lastRebalance.finishedAt - lastRebalance.startedAt]] : []);
  const actorsPerWorker = new Map<number, number>();
  for (const a of ctx.streams.actorPlacements()) actorsPerWorker.set(a.workerId, (actorsPerWorker.get(a.workerId) ?? 0) + 1);
  metric('tributary_worker_actors', 'gauge', 'Streaming actors placed on each compute node.',
    workers.filter((w) => w.role === 'compute').map((w) => [{ worker_id: w.workerId, address: w.address }, actorsPerWorker.get(w.workerId) ?? 0]));
  metric('tributary_committed_epoch_ms', 'gauge', 'Physical time (ms since 1970) of the max committed epoch.',
    [[{}, Number(ctx.hummock.committedEpoch >> 16n) + Date.UTC(2021, 3, 1)]]);
  const lat = ctx.barriers.commitLatenciesMs.slice(-1000).sort((a, b) => a - b);
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : 0);
  metric('tributary_barrier_commit_latency_ms', 'gauge', 'Inject-to-commit latency of recent checkpoints.',
    [[{ quantile: '0.5' }, q(0.5)], [{ quantile: '0.99' }, q(0.99)]]);
  const v = ctx.hummock.version;
  metric('tributary_hummock_l0_sub_levels', 'gauge', 'L0 sub-levels in the current version.', [[{}, v.l0.length]]);
  metric('tributary_hummock_sst_count', 'gauge', 'SSTs per level (0 = L0).',
    [[{ level: 0 }, v.l0.reduce((n, s) => n + s.ssts.length, 0)], ...v.levels.map((l, i): [Record<string, number>, number] => [{ level: i + 1 }, l.length])]);
  metric('tributary_relations', 'gauge', 'Tables and materialized views.',
    (['table', 'materialized view'] as const).map((k) => [{ kind: k }, ctx.catalog.all().filter((r) => r.kind === k).length]));
  const stats = ctx.cluster.workerStats();
  const perWorker = (pick: (s: (typeof stats)[number][1]) => number): Array<[Record<string, string | number>, number]> =>
    stats.map(([w, s]) => [{ worker_id: w.workerId, address: w.address }, pick(s)]);
  const ratio = (h: number, m: number) => (h + m === 0 ? 0 : h / (h + m));
  metric('tributary_block_cache_hit_ratio', 'gauge', 'Block cache hits / lookups since the compute node started.', perWorker((s) => ratio(s.blockCache.hits, s.blockCache.misses)));
  metric('tributary_block_cache_hits_total', 'counter', 'Block cache hits.', perWorker((s) => s.blockCache.hits));
  metric('tributary_block_cache_misses_total', 'counter', 'Block cache misses (object store reads).', perWorker((s) => s.blockCache.misses));
  metric('tributary_block_cache_bytes', 'gauge', 'Bytes held by the block cache.', perWorker((s) => s.blockCache.sizeBytes));
  metric('tributary_meta_cache_hit_ratio', 'gauge', 'SST meta cache hits / lookups.', perWorker((s) => ratio(s.metaCache.hits, s.metaCache.misses)));
  metric('tributary_shared_buffer_bytes', 'gauge', 'Uncommitted state held in the shared buffer.', perWorker((s) => s.sharedBufferBytes));
  const errorTotals = new Map<string, [Record<string, string | number>, number]>();
  for (const e of ctx.cluster.streamErrors()) {
    const relation = ctx.catalog.get(e.jobId);
    if (!relation) continue; // dropped: its compute nodes keep the tally until they restart
    const key = `${e.jobId}/${e.code}`;
    // Names repeat across databases and schemas: both are labels too.
    const cur = errorTotals.get(key) ?? [{ relation: relation.name, code: e.code, database: relation.databaseName, schema: relation.schemaName }, 0];
    cur[1] += e.count;
    errorTotals.set(key, cur);
  }
  metric('tributary_stream_expression_errors_total', 'counter', 'Data errors in streaming expressions (the value became NULL), by relation and SQLSTATE.', [...errorTotals.values()]);
  metric('tributary_streaming_running', 'gauge', '1 when the streaming graph runs, 0 while recovering.', [[{}, ctx.barriers.isRunning ? 1 : 0]]);
  return lines.join('\n') + '\n';
}
