import { CatalogError, SqlState, formatDatum, relationDisplayName, type StreamErrorReport } from '@tributary/common';
import type { HandlerContext } from './handler-context.ts';
import { splitQualified } from '../session/search-path.ts';
import { textRows } from './result.ts';
import type { StatementResult } from '../pgwire/index.ts';

const PARAMETERS: Record<string, string> = {
  server_version: '15.0.0',
  server_encoding: 'UTF8',
  client_encoding: 'UTF8',
  datestyle: 'ISO, MDY',
  timezone: 'UTC',
  search_path: 'public',
  transaction_isolation: 'read committed',
  standard_conforming_strings: 'on',
  application_name: '',
  extra_float_digits: '1',
};

export async function handleShow(ctx: HandlerContext, what: string, name?: string): Promise<StatementResult> {
  // SHOW TABLES [FROM s]: schema s, else the schemas of the search path.
  const path = ctx.searchPath.schemas();
  const rels = ctx.namespace.relations()
    .filter((r) => (what === 'tables' || what === 'materialized views' ? (name ? r.schemaName === name : path.includes(r.schemaName)) : true))
    .sort((a, b) => a.name.localeCompare(b.name));
  switch (what) {
    case 'tables':
      return textRows(['Name'], rels.filter((r) => r.kind === 'table').map((r) => [r.name]));
    case 'materialized views':
      return textRows(['Name'], rels.filter((r) => r.kind === 'materialized view').map((r) => [r.name]));
    case 'sources':
      return textRows(['Name'], rels.filter((r) => r.kind === 'source').map((r) => [r.name]));
    case 'views':
      return textRows(['Name'], []);
    case 'databases':
      return textRows(['Name'], ctx.meta.allDatabases().map((d) => [d.name]).sort());
    case 'schemas':
      return textRows(['Name'], [...ctx.namespace.schemas().map((s) => [s.name]).sort(), ['pg_catalog'], ['information_schema']]);
    case 'cluster': {
      const info = await ctx.meta.clusterInfo();
      const rows = (info.workers as Array<{ workerId: number; role: string; address: string; state: string; parallelism: number; startedAt: number }>)
        .sort((a, b) => a.workerId - b.workerId)
        .map((w) => [String(w.workerId), w.role, w.address, w.state, String(w.parallelism), new Date(w.startedAt).toISOString()]);
      return textRows(['Id', 'Role', 'Address', 'State', 'Parallelism', 'Started At'], rows);
    }
    case 'recoveries': {
      const info = await ctx.meta.clusterInfo();
      const rows = (info.recoveries as Array<{ id: number; reason: string; failedWorker: number | null; detectedAt: number; recoveredAt: number; epochBefore: string; epochAfter: string }>)
        .map((r) => [String(r.id), r.reason, r.failedWorker === null ? '' : String(r.failedWorker), new Date(r.detectedAt).toISOString(), new Date(r.recoveredAt).toISOString(), String(r.recoveredAt - r.detectedAt), r.epochBefore, r.epochAfter]);
      return textRows(['Id', 'Trigger', 'Failed Worker', 'Detected At', 'Recovered At', 'RTO ms', 'Committed Epoch Before', 'Committed Epoch After'], rows);
    }
    case 'jobs': {
      // RisingWave's SHOW JOBS: the CREATE MATERIALIZED VIEW statements still backfilling.
      const info = await ctx.meta.clusterInfo();
      const jobs = (info.jobs as Array<{ id: number; statement: string; progress: string }> | undefined) ?? [];
      return textRows(['Id', 'Statement', 'Progress'], jobs.map((j) => [String(j.id), j.statement, j.progress]));
    }
    case 'rebalances': {
      const info = await ctx.meta.clusterInfo();
      const rows = ((info.rebalances ?? []) as Array<{ id: number; reason: string; mode: string; startedAt: number; finishedAt: number; epoch: string | null; movedActors: number; fragments: number; toWorkers: number[] }>)
        .map((r) => [String(r.id), r.reason, r.mode, new Date(r.startedAt).toISOString(), new Date(r.finishedAt).toISOString(), String(r.finishedAt - r.startedAt), String(r.movedActors), String(r.fragments), r.toWorkers.join(','), r.epoch ?? '']);
      return textRows(['Id', 'Trigger', 'Mode', 'Started At', 'Finished At', 'Duration ms', 'Moved Actors', 'Fragments', 'To Workers', 'Committed Epoch'], rows);
    }
    case 'actors': {
      const info = await ctx.meta.clusterInfo();
      const names = relationLabels(ctx);
      const rows = ((info.actors ?? []) as Array<{ actorId: number; fragmentId: number; jobId: number; workerId: number; address: string; vnodeCount: number }>)
        .map((a) => [String(a.actorId), String(a.fragmentId), names.get(a.jobId) ?? String(a.jobId), String(a.workerId), a.address, String(a.vnodeCount)]);
      return textRows(['Id', 'Fragment', 'Relation', 'Worker', 'Address', 'Vnodes'], rows);
    }
    case 'stream errors': {
      // Data errors in views' expressions, which made a value NULL instead of failing the view.
      const info = await ctx.meta.clusterInfo();
      const names = relationLabels(ctx);
      const rows = ((info.streamErrors ?? []) as Array<StreamErrorReport & { workerId: number }>)
        .sort((a, b) => a.jobId - b.jobId || a.fragmentId - b.fragmentId || a.workerId - b.workerId)
        .map((e) => [names.get(e.jobId) ?? String(e.jobId), String(e.fragmentId), e.executor, String(e.workerId), e.code, e.message, String(e.count), new Date(e.firstAt).toISOString(), new Date(e.lastAt).toISOString()]);
      return textRows(['Relation', 'Fragment', 'Executor', 'Worker', 'SQLSTATE', 'Last Error', 'Count', 'First At', 'Last At'], rows);
    }
    case 'columns': {
      const rel = name ? ctx.searchPath.resolve(splitQualified(name)) : undefined;
      if (!rel) throw new CatalogError(SqlState.UndefinedTable, `relation "${name}" does not exist`);
      return textRows(['Name', 'Type', 'Is Hidden'], rel.columns.map((c) => [c.name, c.type, formatDatum('boolean', c.hidden)!]));
    }
    case 'parameter': {
      const key = (name ?? '').toLowerCase();
      if (key === 'all') return textRows(['Name', 'Setting'], Object.entries({ ...PARAMETERS, ...Object.fromEntries(ctx.settings) }).map(([k, v]) => [k, v]));
      const v = ctx.settings.get(key) ?? PARAMETERS[key];
      if (v === undefined) throw new CatalogError(SqlState.UndefinedObject, `unrecognized configuration parameter "${name}"`);
      return textRows([key], [[v]]);
    }
    default:
      throw new CatalogError(SqlState.FeatureNotSupported, `SHOW ${what} is not supported yet`);
  }
}

/** Cluster-wide lists (actors, stream errors) name relations as the session would, `db.schema.name` for other databases'. */
function relationLabels(ctx: HandlerContext): Map<number, string> {
  return new Map(ctx.meta.allRelations().map((r) => [r.id, r.databaseName === ctx.database ? relationDisplayName(r) : `${r.databaseName}.${r.schemaName}.${r.name}`]));
}
