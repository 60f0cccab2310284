/**
 * Bounded state of watermark-driven views: an endless datagen source (event time = now, up to
 * 2 s in the past; watermark 1 s behind) feeds
 *
 *   eowc      5-second tumbling windows, EMIT ON WINDOW CLOSE (state: open windows only)
 *   recent    a temporal filter, rows of the last 10 seconds (state: those rows only)
 *   no_eowc   the same windows without EOWC, for contrast (its state grows a row per window)
 *
 * Every few seconds it prints, per view, the live rows and bytes of each state table and of the
 * view itself, scanned from the committed snapshot (the frontend's read path). In-process meta,
 * one compute node (parallelism 2) and a frontend; run:
 *
 *   node --import tsx bench/bounded-state.ts              # ~60 s, 2000 rows/s
 *   BENCH_SECONDS=120 BENCH_RATE=5000 node --import tsx bench/bounded-state.ts
 */
import pg from 'pg';
import type { StateTableDesc } from '@tributary/common';
import { freePort, tmpDir } from '../test/harness/cluster.ts';

// The logger reads its level when first imported: set it before loading the roles.
process.env.TRIBUTARY_LOG_LEVEL ??= 'warn';
const { startMetaNode } = await import('@tributary/meta');
const { startComputeNode } = await import('@tributary/compute');
const { startFrontendNode } = await import('@tributary/sql');
const { FrontendMeta } = await import('../packages/sql/src/frontend/frontend-meta.ts');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const EVERY_MS = Number(process.env.BENCH_EVERY_MS ?? 5000);
const VIEWS = ['eowc', 'recent', 'no_eowc'];

const meta = await startMetaNode({ listen: '127.0.0.1:0', dataDir: tmpDir('tributary-bench-bounded-'), barrierIntervalMs: 1000, startupWaitMs: 0 });
const compute = await startComputeNode({ meta: meta.address, listen: '127.0.0.1:0', parallelism: 2 });
const port = await freePort();
const frontend = await startFrontendNode({ meta: meta.address, host: '127.0.0.1', port });
const snapshots = new FrontendMeta(meta.address);
await snapshots.start();

const c = new pg.Client({ host: '127.0.0.1', port, user: 'root', database: 'dev' });
await c.connect();
await c.query(`CREATE SOURCE events (id BIGINT, v INT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1 second')
  WITH (connector = 'datagen', fields.id.kind = 'sequence', fields.v.max = '100', fields.ts.max_past = '2s',
        datagen.rows.per.second = '${RATE}', datagen.split.num = '2') FORMAT PLAIN ENCODE JSON`);
await c.query(`CREATE MATERIALIZED VIEW eowc AS SELECT window_start, count(*) AS n, sum(v) AS s, max(v) AS m
  FROM TUMBLE(events, ts, INTERVAL '5 seconds') GROUP BY window_start EMIT ON WINDOW CLOSE`);
await c.query(`CREATE MATERIALIZED VIEW recent AS SELECT id, v, ts FROM events WHERE ts > now() - INTERVAL '10 seconds'`);
await c.query(`CREATE MATERIALIZED VIEW no_eowc AS SELECT window_start, count(*) AS n, sum(v) AS s, max(v) AS m
  FROM TUMBLE(events, ts, INTERVAL '5 seconds') GROUP BY window_start`);

/** Every state table of a view's streaming job (any object shaped like a StateTableDesc). */
function stateTables(relId: number): StateTableDesc[] {
  const job = meta.context.streams.job(relId);
  const out = new Map<number, StateTableDesc>();
  const visit = (o: unknown): void => {
    if (o === null || typeof o !== 'object') return;
    const d = o as Partial<StateTableDesc>;
    if (typeof d.tableId === 'number' && typeof d.name === 'string' && Array.isArray(d.pk)) out.set(d.tableId, d as StateTableDesc);
    for (const v of Object.values(o)) visit(v);
  };
  for (const f of job?.fragments ?? []) visit(f.node);
  return [...out.values()].sort((a, b) => a.tableId - b.tableId);
}

type Snapshot = ReturnType<typeof snapshots.snapshot>;

async function liveSize({ reader, epoch }: Snapshot, tableId: number): Promise<{ rows: number; bytes: number }> {
  const start = new Uint8Array(4);
  new DataView(start.buffer).setUint32(0, tableId, false);
  const end = new Uint8Array(4);
  new DataView(end.buffer).setUint32(0, tableId + 1, false);
  let rows = 0;
  let bytes = 0;
  for await (const [k, v] of reader.iter(start, end, epoch)) {
    rows++;
    bytes += k.length + v.length;
  }
  return { rows, bytes };
}

const started = Date.now();
const history = new Map<string, number[]>();
console.log(`bounded-state: source at ${RATE} rows/s for ${SECONDS} s; live rows (bytes) per table of the committed snapshot`);
while (Date.now() - started < SECONDS * 1000) {
  await new Promise((r) => setTimeout(r, EVERY_MS));
  await c.query('FLUSH');
  const t = Math.round((Date.now() - started) / 1000);
  const snapshot = snapshots.snapshot(); // one committed epoch for every table of the sample
  for (const view of VIEWS) {
    const rel = snapshots.relation('dev', 'public', view)!;
    const parts: string[] = [];
    for (const desc of stateTables(rel.id)) {
      const { rows, bytes } = await liveSize(snapshot, desc.tableId);
      const label = desc.tableId === rel.id ? `${view}(view)` : desc.name;
      parts.push(`${label.replace(`${view}.`, '')}=${rows} rows/${bytes} B`);
      history.set(label, [...(history.get(label) ?? []), rows]);
    }
    console.log(`t=${String(t).padStart(3)}s ${view.padEnd(8)} ${parts.join('  ')}`);
  }
}
const { rows: windows } = await c.query('SELECT count(*) AS w, sum(n) AS n FROM eowc');
const perSecond = Number(windows[0].n) / (Number(windows[0].w) * 5);
console.log(`eowc emitted ${windows[0].w} closed windows (${perSecond.toFixed(0)} rows/s ingested on average)`);
console.log('min..max live rows per table over the run:');
for (const [label, xs] of history) console.log(`  ${label.padEnd(32)} ${Math.min(...xs)}..${Math.max(...xs)}`);
await c.end();
snapshots.close();
await frontend.close();
await compute.close();
await meta.close();
process.exit(0);
