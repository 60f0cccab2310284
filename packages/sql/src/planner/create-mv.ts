import {
  DbError, SqlState, notSupported,
  type AggCall, type ColumnCatalog, type DataType, type Expr, type StateTableDesc, type StreamFragmentGraph,
  type StreamNode, type TableCatalog,
} from '@tributary/common';
import type { SelectStatement } from 'pgsql-ast-parser';
import { bindSelect, type BoundSelect } from '../binder/bind-select.ts';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { fromTables, type BoundFrom, type BoundJoin, type BoundTable } from '../binder/relation.ts';
import { pushWhereIntoJoins, sideKeyColumns, splitJoinCondition } from './join-keys.ts';
import { inputRef } from '../binder/bound.ts';
import { explainExpr } from './explain-expr.ts';
import { describeAgg, explainStream } from './explain-stream.ts';
import { ExprList, collectInputs, isIdentity, remapExpr } from './expr-util.ts';
import { fragment, materializeFragmentId } from './fragmenter.ts';

export interface PlannedMv {
  catalog: TableCatalog;
  graph: StreamFragmentGraph;
  explain: string;
}

/** A stream plan under construction: the node, its stream key and how its rows are spread. */
interface Planned {
  node: StreamNode;
  streamKey: number[];
  /** Hash keys (output indices) or null for a singleton. */
  distKey: number[] | null;
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
  name: string, select: SelectStatement, catalog: CatalogReader, opts: { definition: string; owner?: string },
): PlannedMv {
  const bound = bindSelect(select, catalog);
  if (!bound.from) throw notSupported('materialized views without FROM');
  if (bound.limit !== null || bound.offset !== 0) throw notSupported('LIMIT / OFFSET in materialized views');
  checkDistinctNames(bound.names);
  const pushed = pushWhereIntoJoins(bound.from, bound.where);
  joinCounter.next = 0;
  const { plan: scanned, map } = planFrom(name, pushed.from!, usedColumns(bound, pushed.from!), bound.scope.columns.length);
  const toPlan = (e: Expr): Expr => remapExpr(e, (i) => map[i]);
  let plan = scanned;
  if (pushed.where) plan = filter(plan, toPlan(pushed.where));
  const out = bound.agg ? planAgg(name, bound, plan, toPlan) : planProject(bound, plan, bound.items.map(toPlan));
  return materialize(name, bound, out.plan, out.hidden, opts);
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
  if (bound.agg) {
    for (const g of bound.agg.groupKeys) collectInputs(g, used);
    for (const a of bound.agg.aggCalls) if (a.arg) collectInputs(a.arg, used);
  } else {
    for (const e of bound.items) collectInputs(e, used);
  }
  const ons = (n: BoundFrom): void => {
    if (n.kind === 'table') return;
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
  return planJoin(mvName, from, used, scopeWidth);
}

/** The leaf's columns the query reads, in table order, then its pk columns not read. */
function planScan(mvName: string, leaf: BoundTable, used: Set<number>, scopeWidth: number): FromPlan {
  const up = leaf.table;
  const q = leaf.qualifier;
  const cols: number[] = [];
  for (let c = 0; c < leaf.width; c++) if (used.has(leaf.offset + c)) cols.push(c);
  for (const k of up.storage.pk) if (!cols.includes(k)) cols.push(k);
  const allTypes = up.columns.map((c) => c.type);
  const progressTable: StateTableDesc = {
    tableId: -1, name: `${mvName}.backfill_progress`, columns: ['smallint', 'boolean'], pk: [0], pkOrders: ['asc'], distKey: [0],
  };
  const node: StreamNode = {
    kind: 'tableScan',
    upstreamTableId: up.id,
    upstreamName: up.name,
    upstreamTable: up.storage,
    outputIndices: cols,
    progressTable,
    input: { kind: 'merge', upstreamFragmentId: up.materializeFragmentId, schema: allTypes, names: up.columns.map((c) => c.name) },
    schema: cols.map((i) => allTypes[i]),
    names: cols.map((i) => `${q}.${up.columns[i].name}`),
  };
  const pos = (i: number): number => cols.indexOf(i);
  const distKey = up.storage.distKey.length > 0 ? up.storage.distKey.map(pos) : null;
  const map = new Array<number>(scopeWidth).fill(-1);
  cols.forEach((c, i) => (map[leaf.offset + c] = i));
  return { plan: { node, streamKey: up.storage.pk.map(pos), distKey }, map };
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
  const streamKey = [...l.plan.streamKey, ...r.plan.streamKey.map((k) => k + lw)];
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

function filter(plan: Planned, predicate: Expr): Planned {
  const n = plan.node;
  return { ...plan, node: { kind: 'filter', predicate, input: n, schema: n.schema, names: n.names } };
}

function project(plan: Planned, exprs: Expr[], names?: string[]): StreamNode {
  const n = plan.node;
  return {
    kind: 'project', exprs, input: n, schema: exprs.map((e) => e.type),
    names: names ?? exprs.map((e) => explainExpr(e, n.names)),
  };
}

/**
 * The final projection: `items` then, as hidden columns, the input's stream key and dist key
 * columns that no item forwards unchanged.
 */
function planProject(bound: BoundSelect, plan: Planned, items: Expr[]): { plan: Planned; hidden: boolean[] } {
  const exprs = [...items];
  const hidden = items.map(() => false);
  const posOf = (k: number): number => {
    const i = exprs.findIndex((e) => e.kind === 'input' && e.index === k);
    if (i >= 0) return i;
    hidden.push(true);
    return exprs.push(inputRef(k, plan.node.schema[k])) - 1;
  };
  const streamKey = plan.streamKey.map(posOf);
  const distKey = plan.distKey ? plan.distKey.map(posOf) : null;
  return { plan: { node: project(plan, exprs), streamKey, distKey }, hidden };
}

/** [Project] -> Exchange -> Hash/SimpleAgg -> [Filter(having)] -> Project. */
function planAgg(mvName: string, bound: BoundSelect, input: Planned, toPlan: (e: Expr) => Expr): { plan: Planned; hidden: boolean[] } {
  const agg = bound.agg!;
  const pre = new ExprList();
  const groupKey = agg.groupKeys.map((g) => pre.add(toPlan(g)));
  const args = agg.aggCalls.map((a) => (a.arg ? pre.add(toPlan(a.arg)) : null));
  const inputStreamKey = input.streamKey.map((k) => pre.add(inputRef(k, input.node.schema[k])));
  let plan = input;
  if (!isIdentity(pre.exprs, input.node.schema.length)) {
    const node = project(input, pre.exprs);
    const pos = (k: number): number => pre.exprs.findIndex((e) => e.kind === 'input' && e.index === k);
    plan = { node, streamKey: inputStreamKey, distKey: input.distKey ? input.distKey.map(pos) : null };
    if (plan.distKey?.some((k) => k < 0)) plan.distKey = null;
  }
  const aggCalls: AggCall[] = agg.aggCalls.map((a, i) => ({
    kind: a.kind, arg: args[i], argType: args[i] === null ? null : pre.exprs[args[i]!].type, returnType: a.returnType,
  }));
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
  const minMaxTables = aggCalls.map((c, i) => minMaxTable(mvName, i, c, keyTypes, inputStreamKey.map((k) => inNode.schema[k])));
  const schema = [...keyTypes, ...aggCalls.map((c) => c.returnType)];
  const names = [...groupKey.map((k) => inNode.names[k]), ...aggCalls.map((c) => describeAgg(c, inNode.names))];
  const common = { aggCalls, inputStreamKey, resultTable, minMaxTables, input: exchange, schema, names };
  const node: StreamNode = grouped ? { kind: 'hashAgg', groupKey, ...common } : { kind: 'simpleAgg', ...common };
  let out: Planned = { node, streamKey: keyIdx, distKey: grouped ? keyIdx : null };
  if (bound.having) out = filter(out, bound.having);
  return planProject(bound, out, bound.items);
}

/** min/max state: group key + arg (asc for min, desc for max) + input stream key, all in the pk. */
function minMaxTable(mvName: string, i: number, call: AggCall, keyTypes: DataType[], streamKeyTypes: DataType[]): StateTableDesc | null {
  if (call.kind !== 'min' && call.kind !== 'max') return null;
  const columns: DataType[] = [...keyTypes, call.argType!, ...streamKeyTypes];
  const pkOrders = columns.map((_, c): 'asc' | 'desc' => (c === keyTypes.length && call.kind === 'max' ? 'desc' : 'asc'));
  return {
    tableId: -1, name: `${mvName}.agg_${call.kind}_${i}`, columns, pk: columns.map((_, c) => c), pkOrders,
    distKey: keyTypes.map((_, c) => c),
  };
}

function materialize(
  name: string, bound: BoundSelect, plan: Planned, hidden: boolean[], opts: { definition: string; owner?: string },
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
  const dependsOn = [...new Set(fromTables(bound.from).map((t) => t.table.id))];
  const catalog: TableCatalog = {
    id: -1, name, schemaName: 'public', kind: 'materialized view', columns, storage, rowIdIndex: null, userPk: [],
    definition: opts.definition, dependsOn, materializeFragmentId: materializeFragmentId(graph),
    state: 'creating', owner: opts.owner ?? 'root',
  };
  return { catalog, graph, explain: explainStream(root, hidden) };
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
