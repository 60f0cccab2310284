import {
  DbError, DEFAULT_DATABASE, SqlState, notSupported,
  type ColumnCatalog, type DataType, type Expr, type StateTableDesc, type StreamFragmentGraph,
  type StreamNode, type TableCatalog,
} from '@tributary/common';
import type { SelectStatement } from 'pgsql-ast-parser';
import type { BoundSelect } from '../binder/bind-select.ts';
import {
  bindQuery, isSimpleSelect, queryTables, type BoundGroupTopN, type BoundQuery,
} from '../binder/bind-query.ts';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { type BoundDerived, type BoundFrom, type BoundJoin, type BoundTable } from '../binder/relation.ts';
import { conjoin, conjuncts, pushWhereIntoJoins, sideKeyColumns, splitJoinCondition } from './join-keys.ts';
import { callsNow, temporalFilterOf, type TemporalFilter } from './temporal-filter.ts';
import { watermarkFilter } from './create-table.ts';
import { watermarkColumns } from './watermark-columns.ts';
import { inputRef } from '../binder/bound.ts';
import { describeAgg, explainStream } from './explain-stream.ts';
import { ExprList, collectInputs, isIdentity, remapExpr } from './expr-util.ts';
import { fragment, materializeFragmentId } from './fragmenter.ts';
import { distinctTable, minMaxTable, stringAggTable } from './agg-state-tables.ts';
import { planTopN, planUnion, topNCounter } from './stream-set-ops.ts';
import { filter, planProject, project, type Planned, type PlannedQuery } from './stream-plan.ts';
import { aggCallInputs, lowerAggCalls } from './agg-calls.ts';
import { planScalarJoins, planSemiJoins, subqueryJoinCounter } from './stream-subquery.ts';
import { planValues } from './stream-values.ts';

export interface PlannedMv {
  catalog: TableCatalog;
  graph: StreamFragmentGraph;
  explain: string;
  /** EXPLAIN VERBOSE: `explain` plus state tables. */
  explainVerbose: string;
}

/**
 * CREATE MATERIALIZED VIEW over one table or MV, shaped like RisingWave's plans:
 *
 *   StreamTableScan -> [StreamFilter] -> [StreamProject]
 *     -> (GROUP BY) StreamExchange hash(keys) -> StreamHashAgg -> [StreamFilter(having)] -> StreamProject
 *     -> (global agg) StreamExchange single -> StreamSimpleAgg -> [StreamFilter(having)] -> StreamProject
 *   -> StreamMaterialize
 *
 * The MV's stream key (= its storage pk) is the group key, nothing for a global aggregation, else
 * the upstream's pk carried through the projection (as hidden columns when not selected). Every
 * state table has tableId -1: meta assigns ids.
 */
export function planCreateMv(
  name: string, select: SelectStatement, catalog: CatalogReader,
  opts: { definition: string; owner?: string; schemaName?: string; databaseName?: string; emitOnWindowClose?: boolean; backfillRateLimit?: number },
): PlannedMv {
  const bound = bindQuery(select, catalog);
  checkDistinctNames(bound.names);
  joinCounter.next = 0;
  topNCounter.next = 0;
  planContext.emitOnWindowClose = !!opts.emitOnWindowClose;
  planContext.backfillRateLimit = opts.backfillRateLimit;
  planContext.watermarkOf = (tableId) => {
    const rel = catalogById(bound, tableId);
    return rel?.watermark ? [rel.watermark.column] : rel?.watermarkColumns ?? [];
  };
  const isEowcAgg = isSimpleSelect(bound) && bound.agg !== null && bound.agg.groupKeys.length > 0;
  if (planContext.emitOnWindowClose && !isEowcAgg) {
    throw notSupported('EMIT ON WINDOW CLOSE without GROUP BY', 'Use it on an aggregation grouped by a window column, e.g. window_start of TUMBLE over a table or source with a WATERMARK.');
  }
  subqueryJoinCounter.next = 0;
  const out = planQuery(name, bound);
  rejectStrayNow(out.plan.node);
  return materialize(name, bound, out.plan, out.hidden, opts);
}

/** Per-statement planner settings (like `joinCounter`, reset by `planCreateMv`). */
const planContext = {
  emitOnWindowClose: false,
  /** Snapshot rows per second per table-scan actor (`backfill_rate_limit`). */
  backfillRateLimit: undefined as number | undefined,
  watermarkOf: (_tableId: number): number[] => [],
};

function catalogById(q: BoundQuery, tableId: number): TableCatalog | undefined {
  return queryTables(q).find((t) => t.table.id === tableId)?.table;
}

/** now() left anywhere but a temporal filter (which the planner turned into a DynamicFilter): 0A000. */
function rejectStrayNow(node: StreamNode): void {
  const exprs: Expr[] = node.kind === 'project' ? node.exprs : node.kind === 'filter' ? [node.predicate]
    : node.kind === 'hashJoin' && node.condition ? [node.condition] : [];
  if (exprs.some(callsNow)) {
    throw notSupported('now() outside a temporal filter in a materialized view', "Use it in WHERE as col > now() - INTERVAL '...'.");
  }
  const kids = node.kind === 'hashJoin' || node.kind === 'dynamicFilter' ? [node.left, node.right]
    : node.kind === 'union' ? node.inputs : 'input' in node ? [node.input] : [];
  kids.forEach(rejectStrayNow);
}

function planQuery(name: string, q: BoundQuery): PlannedQuery {
  if (isSimpleSelect(q)) return planSimpleSelect(name, q, false);
  if (q.kind === 'groupTopN') return planGroupTopN(name, q);
  if (q.kind === 'values') return planValues(name, q);
  return planUnion(name, q, planQuery);
}

/**
 * One SELECT: scans/joins -> [filter] -> aggregation or projection -> [top-N when LIMIT]. With
 * `withExtras` (or a top-N) the ORDER BY expressions that are not items follow the items, hidden.
 */
function planSimpleSelect(name: string, bound: BoundSelect, withExtras: boolean): PlannedQuery {
  if (!bound.from) throw notSupported('materialized views without FROM');
  if (bound.windows.length > 0) {
    throw notSupported(`window function ${bound.windows[0].name} in a materialized view`,
      'Only the group top-N pattern is supported in views: SELECT ... FROM (SELECT ..., row_number() OVER (PARTITION BY ... ORDER BY ...) AS rn FROM ...) s WHERE rn <= n. Batch SELECT runs any window function.');
  }
  const topN = bound.limit !== null || bound.offset !== 0;
  if (topN && bound.limit === null) throw notSupported('OFFSET without LIMIT in materialized views');
  const temporal = conjuncts(bound.where).filter(callsNow).map(temporalFilterOf);
  const rest = conjoin(conjuncts(bound.where).filter((c) => !callsNow(c)));
  const pushed = pushWhereIntoJoins(bound.from, rest);
  const used = usedColumns(bound, pushed.from!);
  for (const t of temporal) used.add(t.column);
  const scanned = planFrom(name, pushed.from!, used, bound.scope.columns.length);
  const sub = { mvName: name, planQuery };
  const { plan: joined, map } = planScalarJoins(sub, scanned, bound.subqueries);
  const toPlan = (e: Expr): Expr => remapExpr(e, (i) => map[i]);
  let plan = joined;
  if (pushed.where) plan = filter(plan, toPlan(pushed.where));
  temporal.forEach((t, i) => (plan = dynamicFilter(name, i, plan, map[t.column], t)));
  plan = planSemiJoins(sub, { plan, map }, bound.subqueries).plan;
  const extras = withExtras || topN || bound.distinctOn ? bound.orderExtras : [];
  const out = bound.agg ? planAgg(name, bound, plan, toPlan, extras) : planProject(plan, [...bound.items, ...extras].map(toPlan));
  for (let i = bound.items.length; i < bound.items.length + extras.length; i++) out.hidden[i] = true;
  if (bound.distinctOn) out.plan = planDistinctOn(name, out.plan, bound.distinctOn, bound.orderBy);
  if (!topN) return out;
  return { plan: planTopN(name, out.plan, [], bound.orderBy, bound.limit!, bound.offset, false), hidden: out.hidden };
}

/**
 * DISTINCT ON as RisingWave plans it: a group top-N with limit 1 partitioned by the DISTINCT ON
 * columns, ordered by the rest of ORDER BY (ties, and no ORDER BY, by the stream key: the state
 * table's pk ends with it, so the kept row is deterministic).
 */
function planDistinctOn(name: string, input: Planned, on: number[], orderBy: BoundSelect['orderBy']): Planned {
  return planTopN(name, input, on, orderBy.filter((o) => !on.includes(o.index)), 1, 0, false);
}

/** Inner SELECT (items ++ partition/order columns) -> group top-N with rank -> output projection. */
function planGroupTopN(name: string, q: BoundGroupTopN): PlannedQuery {
  const inner = planSimpleSelect(name, q.input, true);
  const order = q.input.orderBy;
  const groupKey = order.slice(0, q.partitionCount).map((o) => o.index);
  const ranked = planTopN(name, inner.plan, groupKey, order.slice(q.partitionCount), q.limit, 0, true);
  const rank = ranked.node.schema.length - 1;
  const filtered = q.filter ? filter(ranked, remapExpr(q.filter, (p) => (q.innerIndex[p] < 0 ? rank : q.innerIndex[p]))) : ranked;
  const exprs = q.output.map((i) => inputRef(i < 0 ? rank : i, ranked.node.schema[i < 0 ? rank : i]));
  return planProject(filtered, exprs);
}

/**
 * A temporal filter: DynamicFilter(left = the rows, right = broadcast Now). Its state table holds
 * the rows in range, ordered by the time column so expiry reads only the expired front.
 */
function dynamicFilter(mvName: string, i: number, plan: Planned, column: number, t: TemporalFilter): Planned {
  const left = plan.node;
  const type = left.schema[column];
  if (type !== 'timestamp without time zone' && type !== 'timestamp with time zone') {
    throw notSupported(`temporal filter on a column of type ${type}`, 'Compare a timestamp or timestamptz column with now().');
  }
  const pk = [column, ...plan.streamKey.filter((k) => k !== column)];
  const table: StateTableDesc = {
    tableId: -1, name: `${mvName}.dynamic_filter_${i}`, columns: left.schema, pk, pkOrders: pk.map(() => 'asc'),
    distKey: plan.distKey ?? [], ...(plan.distKeyIsRowId ? { distKeyIsRowId: true } : {}),
  };
  const now: StreamNode = { kind: 'now', schema: ['timestamp with time zone'], names: ['now'] };
  const right: StreamNode = { kind: 'exchange', dist: { kind: 'broadcast' }, input: now, schema: now.schema, names: now.names };
  const node: StreamNode = {
    kind: 'dynamicFilter', column, op: t.op, offsetMicros: String(t.offsetMicros), table, left, right,
    schema: left.schema, names: left.names,
  };
  return { ...plan, node };
}

function checkDistinctNames(names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new DbError(SqlState.DuplicateColumn, `column "${n}" specified more than once`);
    seen.add(n);
  }
}

/** Scope columns the query reads (WHERE, join conditions, aggregation inputs or items). */
function usedColumns(bound: BoundSelect, from: BoundFrom): Set<number> {
  const used = new Set<number>();
  if (bound.where) collectInputs(bound.where, used);
  for (const s of bound.subqueries) {
    for (const k of s.outerKeys) collectInputs(k, used);
    if (s.condition) for (const i of collectInputs(s.condition, new Set())) if (i < s.innerOffset) used.add(i);
  }
  if (bound.agg) {
    for (const g of bound.agg.groupKeys) collectInputs(g, used);
    for (const a of bound.agg.aggCalls) for (const e of aggCallInputs(a)) collectInputs(e, used);
  } else {
    for (const e of [...bound.items, ...bound.orderExtras]) collectInputs(e, used);
  }
  const ons = (n: BoundFrom): void => {
    if (n.kind !== 'join') return;
    if (n.on) collectInputs(n.on, used);
    ons(n.left);
    ons(n.right);
  };
  ons(from);
  return used;
}

/** A planned FROM item and where each scope column landed in its output (-1: not carried). */
interface FromPlan {
  plan: Planned;
  map: number[];
}

function planFrom(mvName: string, from: BoundFrom, used: Set<number>, scopeWidth: number): FromPlan {
  if (from.kind === 'table') return planScan(mvName, from, used, scopeWidth);
  if (from.kind === 'derived') return planDerived(mvName, from, scopeWidth);
  return planJoin(mvName, from, used, scopeWidth);
}

/**
 * A subquery in FROM is planned like a view body inlined: its visible columns come first in its
 * output, then the hidden columns that carry its stream key.
 */
function planDerived(mvName: string, leaf: BoundDerived, scopeWidth: number): FromPlan {
  const { plan } = planQuery(mvName, leaf.query);
  const map = new Array<number>(scopeWidth).fill(-1);
  for (let i = 0; i < leaf.width; i++) map[leaf.offset + i] = i;
  return { plan, map };
}

/** The leaf's columns the query reads, in table order, then its pk columns not read. */
function planScan(mvName: string, leaf: BoundTable, used: Set<number>, scopeWidth: number): FromPlan {
  const up = leaf.table;
  const q = leaf.qualifier;
  const cols: number[] = [];
  const tableWidth = up.columns.length;
  for (let c = 0; c < tableWidth; c++) if (used.has(leaf.offset + c)) cols.push(c);
  if (leaf.window && !cols.includes(leaf.window.timeCol)) cols.push(leaf.window.timeCol);
  for (const k of up.storage.pk) if (!cols.includes(k)) cols.push(k);
  const allTypes = up.columns.map((c) => c.type);
  if (up.kind === 'source') return windowed(leaf, planSourceScan(mvName, up, cols, q), cols, scopeWidth);
  const progressTable: StateTableDesc = {
    tableId: -1, name: `${mvName}.backfill_progress`, columns: ['smallint', 'boolean', 'bytea', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [0],
  };
  const node: StreamNode = {
    kind: 'tableScan',
    upstreamTableId: up.id,
    upstreamName: up.name,
    upstreamTable: up.storage,
    outputIndices: cols,
    progressTable,
    ...(planContext.backfillRateLimit ? { rateLimitRowsPerSecond: planContext.backfillRateLimit } : {}),
    input: { kind: 'merge', upstreamFragmentId: up.materializeFragmentId, schema: allTypes, names: up.columns.map((c) => c.name) },
    schema: cols.map((i) => allTypes[i]),
    names: cols.map((i) => `${q}.${up.columns[i].name}`),
  };
  const pos = (i: number): number => cols.indexOf(i);
  const distKey = up.storage.distKey.length > 0 ? up.storage.distKey.map(pos) : null;
  const plan: Planned = { node, streamKey: up.storage.pk.map(pos), distKey, ...(up.storage.distKeyIsRowId ? { distKeyIsRowId: true } : {}) };
  return windowed(leaf, plan, cols, scopeWidth);
}

/**
 * An MV reading a source runs its own copy of it (RisingWave's non-shared source): Source ->
 * RowIdGen -> [WatermarkFilter] -> Project(the columns read), in a fragment spread by row id.
 * Its split positions live in the MV's own state table.
 */
function planSourceScan(mvName: string, src: TableCatalog, cols: number[], q: string): Planned {
  const types = src.columns.map((c) => c.type);
  const names = src.columns.map((c) => `${q}.${c.name}`);
  const rowIdIndex = src.rowIdIndex!;
  const source: StreamNode = {
    kind: 'source', schema: types, names, tableId: -1, connector: src.source!.connector, options: src.source!.options,
    columnNames: src.columns.map((c) => c.name),
    splitTable: { tableId: -1, name: `${mvName}.source_splits`, columns: ['integer', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [] },
  };
  const ided: StreamNode = { kind: 'rowIdGen', rowIdIndex, input: source, schema: types, names };
  const input = src.watermark ? watermarkFilter(mvName, src.watermark, ided) : ided;
  const node: StreamNode = {
    kind: 'project', exprs: cols.map((c) => inputRef(c, types[c])), input, schema: cols.map((c) => types[c]), names: cols.map((c) => names[c]),
  };
  const pos = cols.indexOf(rowIdIndex);
  return { node, streamKey: [pos], distKey: [pos], distKeyIsRowId: true };
}

/** Adds TUMBLE/HOP columns to a scanned leaf; `cols` are the leaf columns the plan carries. */
function windowed(leaf: BoundTable, plan: Planned, cols: number[], scopeWidth: number): FromPlan {
  const up = leaf.table;
  const q = leaf.qualifier;
  const tableWidth = up.columns.length;
  const allTypes = up.columns.map((c) => c.type);
  const pos = (i: number): number => cols.indexOf(i);
  const map = new Array<number>(scopeWidth).fill(-1);
  cols.forEach((c, i) => (map[leaf.offset + c] = i));
  if (!leaf.window) return { plan, map };
  const node = plan.node;
  const distKey = plan.distKey;
  const w = leaf.window;
  const t = allTypes[w.timeCol];
  const windowed: StreamNode = {
    kind: 'timeWindow', timeCol: pos(w.timeCol), sizeMicros: String(w.sizeMicros), slideMicros: String(w.slideMicros), input: node,
    schema: [...node.schema, t, t], names: [...node.names, `${q}.window_start`, `${q}.window_end`],
  };
  map[leaf.offset + tableWidth] = cols.length;
  map[leaf.offset + tableWidth + 1] = cols.length + 1;
  // A hop repeats an input row once per window: window_start tells the copies apart.
  const streamKey = w.kind === 'hop' ? [...plan.streamKey, cols.length] : plan.streamKey;
  return { plan: { ...plan, node: windowed, streamKey, distKey }, map };
}

/**
 * Both sides exchanged by their join keys (computed key columns projected first) into a
 * StreamHashJoin. Its output is hash-distributed by the left keys (right keys for a right join);
 * a full join's output is re-shuffled by its stream key, which no NULL padding breaks.
 */
function planJoin(mvName: string, join: BoundJoin, used: Set<number>, scopeWidth: number): FromPlan {
  const cond = splitJoinCondition(join);
  const left = planFrom(mvName, join.left, used, scopeWidth);
  const right = planFrom(mvName, join.right, used, scopeWidth);
  const l = joinSide(left, cond.leftKeys);
  const r = joinSide(right, cond.rightKeys);
  const lw = l.plan.node.schema.length;
  const map = left.map.map((li, i) => (li >= 0 ? li : right.map[i] >= 0 ? lw + right.map[i] : -1));
  const condition = cond.residual ? remapExpr(cond.residual, (i) => map[i]) : null;
  const id = joinCounter.next++;
  const sideTable = (name: string, p: Planned, keys: number[]): StateTableDesc => {
    const pk = [...keys, ...p.streamKey.filter((k) => !keys.includes(k))];
    return {
      tableId: -1, name: `${mvName}.hash_join_${id}_${name}`, columns: [...p.node.schema, 'bigint'], pk,
      pkOrders: pk.map(() => 'asc'), distKey: keys,
    };
  };
  const exchange = (p: Planned, keys: number[]): StreamNode => ({
    kind: 'exchange', dist: { kind: 'hash', keys }, input: p.node, schema: p.node.schema, names: p.node.names,
  });
  const node: StreamNode = {
    kind: 'hashJoin', joinType: join.joinType, leftKeys: l.keys, rightKeys: r.keys, condition,
    leftStreamKey: l.plan.streamKey, rightStreamKey: r.plan.streamKey,
    leftTable: sideTable('left', l.plan, l.keys), rightTable: sideTable('right', r.plan, r.keys),
    left: exchange(l.plan, l.keys), right: exchange(r.plan, r.keys),
    schema: [...l.plan.node.schema, ...r.plan.node.schema], names: [...l.plan.node.names, ...r.plan.node.names],
  };
  // The join key is part of the output stream key: a row whose key changes is deleted by one join
  // actor and inserted by another, and only distinct keys keep those two from racing downstream.
  const keyCols = join.joinType === 'right' ? r.keys.map((k) => k + lw)
    : join.joinType === 'full' ? [...l.keys, ...r.keys.map((k) => k + lw)] : l.keys;
  const streamKey = [...new Set([...l.plan.streamKey, ...r.plan.streamKey.map((k) => k + lw), ...keyCols])];
  if (join.joinType === 'full') {
    const shuffled: StreamNode = { kind: 'exchange', dist: { kind: 'hash', keys: streamKey }, input: node, schema: node.schema, names: node.names };
    return { plan: { node: shuffled, streamKey, distKey: streamKey }, map };
  }
  const distKey = join.joinType === 'right' ? r.keys.map((k) => k + lw) : l.keys;
  return { plan: { node, streamKey, distKey }, map };
}

/** Numbers the joins of one plan (state table names). */
const joinCounter = { next: 0 };

/** One join input with its key columns, computed keys projected as extra columns. */
function joinSide(side: FromPlan, keyExprs: Expr[]): { plan: Planned; keys: number[] } {
  const width = side.plan.node.schema.length;
  const { keys, extra } = sideKeyColumns(keyExprs, side.map, width);
  if (extra.length === 0) return { plan: side.plan, keys };
  const exprs = [...side.plan.node.schema.map((t, i) => inputRef(i, t)), ...extra];
  return { plan: { ...side.plan, node: project(side.plan, exprs) }, keys };
}

/** [Project] -> Exchange -> Hash/SimpleAgg -> [Filter(having)] -> Project. */
function planAgg(
  mvName: string, bound: BoundSelect, input: Planned, toPlan: (e: Expr) => Expr, extras: Expr[],
): { plan: Planned; hidden: boolean[] } {
  const agg = bound.agg!;
  const pre = new ExprList();
  const groupKey = agg.groupKeys.map((g) => pre.add(toPlan(g)));
  const aggCalls = lowerAggCalls(agg.aggCalls, pre, toPlan);
  const inputStreamKey = input.streamKey.map((k) => pre.add(inputRef(k, input.node.schema[k])));
  let plan = input;
  if (!isIdentity(pre.exprs, input.node.schema.length)) {
    const node = project(input, pre.exprs);
    const pos = (k: number): number => pre.exprs.findIndex((e) => e.kind === 'input' && e.index === k);
    plan = { node, streamKey: inputStreamKey, distKey: input.distKey ? input.distKey.map(pos) : null };
    if (plan.distKey?.some((k) => k < 0)) plan.distKey = null;
  }
  const grouped = groupKey.length > 0;
  const inNode = plan.node;
  const exchange: StreamNode = {
    kind: 'exchange', dist: grouped ? { kind: 'hash', keys: groupKey } : { kind: 'single' },
    input: inNode, schema: inNode.schema, names: inNode.names,
  };
  const keyTypes = groupKey.map((k) => inNode.schema[k]);
  const keyIdx = groupKey.map((_, i) => i);
  const resultTable: StateTableDesc = {
    tableId: -1, name: `${mvName}.${grouped ? 'hash' : 'simple'}_agg_result`,
    columns: [...keyTypes, 'bigint', ...aggCalls.map((): DataType => 'bytea')],
    pk: keyIdx, pkOrders: keyIdx.map(() => 'asc'), distKey: keyIdx,
  };
  const streamKeyTypes = inputStreamKey.map((k) => inNode.schema[k]);
  const minMaxTables = aggCalls.map((c, i) => (c.kind === 'string_agg'
    ? stringAggTable(mvName, i, c, keyTypes, streamKeyTypes, inNode.schema)
    : minMaxTable(mvName, i, c, keyTypes, streamKeyTypes)));
  const distinctTables = aggCalls.map((c, i) => distinctTable(mvName, i, c, keyTypes));
  const schema = [...keyTypes, ...aggCalls.map((c) => c.returnType)];
  const names = [...groupKey.map((k) => inNode.names[k]), ...aggCalls.map((c) => describeAgg(c, inNode.names))];
  const common = {
    aggCalls, inputStreamKey, resultTable, minMaxTables, input: exchange, schema, names,
    ...(distinctTables.some((t) => t !== null) ? { distinctTables } : {}),
  };
  const eowc = planContext.emitOnWindowClose ? { emitOnWindowClose: { windowKey: eowcWindowKey(inNode, groupKey) } } : {};
  const node: StreamNode = grouped ? { kind: 'hashAgg', groupKey, ...common, ...eowc } : { kind: 'simpleAgg', ...common };
  let out: Planned = { node, streamKey: keyIdx, distKey: grouped ? keyIdx : null };
  if (bound.having) out = filter(out, bound.having);
  return planProject(out, [...bound.items, ...extras]);
}

/** The group key position EMIT ON WINDOW CLOSE closes windows by: the first with a watermark. */
function eowcWindowKey(input: StreamNode, groupKey: number[]): number {
  const marked = watermarkColumns(input, planContext.watermarkOf);
  const i = groupKey.findIndex((k) => marked.has(k));
  if (i < 0) {
    throw notSupported('EMIT ON WINDOW CLOSE without a watermark on a GROUP BY column',
      'Group by a column that carries a watermark: window_start of TUMBLE/HOP over a table or source declared WITH a WATERMARK FOR its time column.');
  }
  return i;
}

function materialize(
  name: string, bound: BoundQuery, plan: Planned, hidden: boolean[], opts: { definition: string; owner?: string; schemaName?: string; databaseName?: string },
): PlannedMv {
  const input = plan.node;
  const names = columnNames(bound.names, input.names, hidden);
  const columns: ColumnCatalog[] = input.schema.map((type, i) => ({ name: names[i], type, hidden: hidden[i] }));
  const pk = plan.streamKey;
  const storage: StateTableDesc = {
    tableId: -1, name, columns: input.schema, pk, pkOrders: pk.map(() => 'asc'), distKey: plan.distKey ?? [],
  };
  const root: StreamNode = { kind: 'materialize', table: storage, conflict: 'none', input, schema: input.schema, names };
  const graph = fragment(root, plan.distKey ? { kind: 'hash', keys: plan.distKey } : { kind: 'single' });
  const dependsOn = [...new Set(queryTables(bound).map((t) => t.table.id))];
  const marked = [...watermarkColumns(input, planContext.watermarkOf)].sort((a, b) => a - b);
  const catalog: TableCatalog = {
    id: -1, name, schemaName: opts.schemaName ?? 'public', databaseName: opts.databaseName ?? DEFAULT_DATABASE, kind: 'materialized view', columns, storage, rowIdIndex: null, userPk: [],
    definition: opts.definition, dependsOn, materializeFragmentId: materializeFragmentId(graph),
    state: 'creating', owner: opts.owner ?? 'root', ...(marked.length > 0 ? { watermarkColumns: marked } : {}),
  };
  return { catalog, graph, explain: explainStream(root, hidden), explainVerbose: explainStream(root, hidden, true) };
}

/** Visible columns keep the select names; hidden ones take their input name, made unique. */
function columnNames(visible: string[], inputNames: string[], hidden: boolean[]): string[] {
  const names = [...visible];
  for (let i = visible.length; i < hidden.length; i++) {
    let n = inputNames[i];
    for (let k = 1; names.includes(n); k++) n = `${inputNames[i]}#${k}`;
    names.push(n);
  }
  return names;
}
