import { notSupported, relationDisplayName, type BatchNode, type DataType, type Expr, type SortKey } from '@tributary/common';
import type { SelectStatement } from 'pgsql-ast-parser';
import type { BoundOrderItem, BoundSelect } from '../binder/bind-select.ts';
import { bindQuery, isSimpleSelect, queryTypes, type BoundGroupTopN, type BoundQuery } from '../binder/bind-query.ts';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { inputRef } from '../binder/bound.ts';
import type { BoundFrom } from '../binder/relation.ts';
import { pushWhereIntoJoins, sideKeyColumns, splitJoinCondition } from './join-keys.ts';
import { aggCallInputs, lowerAggCalls } from './agg-calls.ts';
import { ExprList, collectInputs, isIdentity, remapExpr } from './expr-util.ts';
import { isSystemRelation } from '../catalog/system-relation.ts';
import { systemValues } from '../catalog/system-values.ts';
import { planBatchScalarJoins, planBatchSemiJoins } from './batch-subquery.ts';
import { planBatchWindows } from './batch-over-window.ts';

export interface Field {
  name: string;
  type: DataType;
}

export interface PlannedSelect {
  plan: BatchNode;
  fields: Field[];
}

/**
 * A batch SELECT: `scan | hashJoin(scans...) | values(one empty row) -> [filter] -> [project -> hashAgg -> [filter]]
 * -> [overWindow...] -> project(items + order extras) -> [groupTopN (DISTINCT ON)] -> [sort] -> [limit] -> [project(items)]`.
 */
export function planSelect(select: SelectStatement, catalog: CatalogReader): PlannedSelect {
  const bound = bindQuery(select, catalog);
  const types = queryTypes(bound);
  return { plan: planQuery(bound), fields: bound.names.map((name, i) => ({ name, type: types[i] })) };
}

/** Lowers a bound query (SELECT, UNION, group top-N) to a batch plan of exactly its output columns. */
export function planQuery(q: BoundQuery): BatchNode {
  if (isSimpleSelect(q)) return planBound(q);
  if (q.kind === 'groupTopN') return planGroupTopN(q);
  if (q.kind === 'values') return { kind: 'values', schema: q.types, rows: q.rows };
  let node: BatchNode = { kind: 'union', schema: q.types, inputs: q.inputs.map(planQuery) };
  if (!q.all) node = { kind: 'hashAgg', schema: q.types, groupKey: q.types.map((_, i) => i), aggCalls: [], input: node };
  return sortAndLimit(node, q.orderBy, q.limit, q.offset);
}

/** Lowers a bound SELECT to a batch plan whose output is exactly `bound.items`. */
export function planBound(bound: BoundSelect): BatchNode {
  let node = planWithExtras(bound);
  if (bound.distinctOn) node = distinctOn(node, bound.distinctOn, bound.orderBy);
  node = sortAndLimit(node, bound.orderBy, bound.limit, bound.offset);
  if (bound.orderExtras.length > 0) node = project(node, bound.items.map((e, i) => inputRef(i, e.type)));
  return node;
}

/** The plan of a SELECT up to its projection of `items ++ orderExtras` (no sort or limit). */
function planWithExtras(bound: BoundSelect): BatchNode {
  const { node: source, map: fromMap, where } = planSource(bound);
  const scopeMap = bound.scope.columns.map((_, i) => fromMap(i));
  const joined = planBatchScalarJoins(planQuery, { node: source, map: scopeMap }, bound.subqueries);
  const map = (i: number): number => joined.map[i];
  let node = joined.node;
  if (where) node = { kind: 'filter', schema: node.schema, predicate: remapExpr(where, map), input: node };
  node = planBatchSemiJoins(planQuery, { node, map: joined.map }, bound.subqueries).node;
  if (bound.agg) node = planAgg(bound, node, map);
  // Items are over the aggregation output when there is one, else over the table's columns; then
  // over the window results.
  const post = bound.agg ? (e: Expr): Expr => e : (e: Expr): Expr => remapExpr(e, map);
  if (bound.windows.length === 0) return project(node, bound.items.concat(bound.orderExtras).map(post));
  const inputWidth = bound.agg ? bound.agg.groupKeys.length + bound.agg.aggCalls.length : bound.scope.columns.length;
  const windowed = planBatchWindows(node, bound.windows, post);
  const toWindowed = (i: number): number => (i >= inputWidth ? windowed.columns[i - inputWidth] : bound.agg ? i : map(i));
  return project(windowed.node, bound.items.concat(bound.orderExtras).map((e) => remapExpr(e, toWindowed)));
}

function sortAndLimit(input: BatchNode, orderBy: BoundOrderItem[], limit: number | null, offset: number): BatchNode {
  let node = input;
  if (orderBy.length > 0) {
    const keys: SortKey[] = orderBy.map((o) => ({ index: o.index, order: o.order, nullsFirst: o.nullsFirst }));
    node = { kind: 'sort', schema: node.schema, keys, input: node };
  }
  if (limit !== null || offset > 0) node = { kind: 'limit', schema: node.schema, limit, offset, input: node };
  return node;
}

/** DISTINCT ON: per group of the DISTINCT ON columns, the first row in ORDER BY order. */
function distinctOn(input: BatchNode, on: number[], orderBy: BoundOrderItem[]): BatchNode {
  const keys: SortKey[] = orderBy.filter((o) => !on.includes(o.index)).map((o) => ({ index: o.index, order: o.order, nullsFirst: o.nullsFirst }));
  return { kind: 'groupTopN', schema: input.schema, groupKey: on, keys, limit: 1, withRank: false, input };
}

/** Inner query (items ++ partition/order extras) -> group top-N with rank -> output projection. */
function planGroupTopN(q: BoundGroupTopN): BatchNode {
  const input = planWithExtras(q.input);
  const order = q.input.orderBy;
  const keys: SortKey[] = order.slice(q.partitionCount).map((o) => ({ index: o.index, order: o.order, nullsFirst: o.nullsFirst }));
  const groupKey = order.slice(0, q.partitionCount).map((o) => o.index);
  const width = input.schema.length;
  const node: BatchNode = {
    kind: 'groupTopN', schema: [...input.schema, 'bigint'], groupKey, keys, limit: q.limit, withRank: true, input,
  };
  const filtered: BatchNode = q.filter
    ? { kind: 'filter', schema: node.schema, predicate: remapExpr(q.filter, (p) => (q.innerIndex[p] < 0 ? width : q.innerIndex[p])), input: node }
    : node;
  return project(filtered, q.output.map((i) => (i < 0 ? inputRef(width, 'bigint') : inputRef(i, input.schema[i]))));
}

/**
 * The scans of the columns the query reads, joined (or one empty row without FROM), and where
 * each scope column landed in the output.
 */
function planSource(bound: BoundSelect): { node: BatchNode; map: (i: number) => number; where: Expr | null } {
  if (!bound.from) return { node: { kind: 'values', schema: [], rows: [[]] }, map: (i) => i, where: bound.where };
  const pushed = pushWhereIntoJoins(bound.from, bound.where);
  const used = new Set<number>();
  const all: Expr[] = [...(pushed.where ? [pushed.where] : [])];
  for (const s of bound.subqueries) {
    all.push(...s.outerKeys);
    if (s.condition) for (const i of collectInputs(s.condition, new Set())) if (i < s.innerOffset) used.add(i);
  }
  if (bound.agg) {
    all.push(...bound.agg.groupKeys);
    for (const a of bound.agg.aggCalls) all.push(...aggCallInputs(a));
  } else {
    all.push(...bound.items, ...bound.orderExtras);
    for (const w of bound.windows) all.push(...w.args, ...(w.filter ? [w.filter] : []), ...w.partitionBy, ...w.orderBy.map((o) => o.expr));
  }
  for (const e of all) collectInputs(e, used);
  const { node, map } = planFrom(pushed.from!, used, bound.scope.columns.length);
  return { node, map: (i) => map[i], where: pushed.where };
}

function planFrom(from: BoundFrom, used: Set<number>, scopeWidth: number): { node: BatchNode; map: number[] } {
  const map = new Array<number>(scopeWidth).fill(-1);
  if (from.kind === 'derived') {
    for (let i = 0; i < from.width; i++) map[from.offset + i] = i;
    return { node: planQuery(from.query), map };
  }
  if (from.kind === 'table') {
    const columns: number[] = [];
    const table = from.table;
    const tableWidth = table.columns.length;
    for (let c = 0; c < tableWidth; c++) if (used.has(from.offset + c)) columns.push(c);
    if (from.window && !columns.includes(from.window.timeCol)) columns.push(from.window.timeCol);
    columns.forEach((c, i) => (map[from.offset + c] = i));
    if (isSystemRelation(table)) return { node: systemValues(table, columns), map };
    if (table.kind === 'source') {
      throw notSupported(`SELECT from source "${table.name}"`, 'A source is not materialized: create a materialized view over it and query that.');
    }
    const node: BatchNode = {
      kind: 'scan', schema: columns.map((c) => table.columns[c].type), table: table.storage, tableName: relationDisplayName(table), columns,
    };
    if (!from.window) return { node, map };
    const w = from.window;
    const t = table.columns[w.timeCol].type;
    map[from.offset + tableWidth] = columns.length;
    map[from.offset + tableWidth + 1] = columns.length + 1;
    const windowed: BatchNode = {
      kind: 'timeWindow', schema: [...node.schema, t, t], timeCol: columns.indexOf(w.timeCol),
      sizeMicros: String(w.sizeMicros), slideMicros: String(w.slideMicros), input: node,
    };
    return { node: windowed, map };
  }
  if (from.on) collectInputs(from.on, used);
  const cond = splitJoinCondition(from, true);
  const side = (f: BoundFrom, keys: Expr[]): { node: BatchNode; map: number[]; keys: number[] } => {
    const planned = planFrom(f, used, scopeWidth);
    const width = planned.node.schema.length;
    const k = sideKeyColumns(keys, planned.map, width);
    if (k.extra.length === 0) return { ...planned, keys: k.keys };
    const exprs = [...planned.node.schema.map((t, i) => inputRef(i, t)), ...k.extra];
    return { node: project(planned.node, exprs), map: planned.map, keys: k.keys };
  };
  const l = side(from.left, cond.leftKeys);
  const r = side(from.right, cond.rightKeys);
  const lw = l.node.schema.length;
  for (let i = 0; i < scopeWidth; i++) map[i] = l.map[i] >= 0 ? l.map[i] : r.map[i] >= 0 ? lw + r.map[i] : -1;
  const node: BatchNode = {
    kind: 'hashJoin', schema: [...l.node.schema, ...r.node.schema], joinType: from.joinType,
    leftKeys: l.keys, rightKeys: r.keys, condition: cond.residual ? remapExpr(cond.residual, (i) => map[i]) : null,
    left: l.node, right: r.node,
  };
  return { node, map };
}

function planAgg(bound: BoundSelect, input: BatchNode, map: (i: number) => number): BatchNode {
  const agg = bound.agg!;
  const pre = new ExprList();
  const groupKey = agg.groupKeys.map((g) => pre.add(remapExpr(g, map)));
  const aggCalls = lowerAggCalls(agg.aggCalls, pre, (e) => remapExpr(e, map));
  const aggInput = isIdentity(pre.exprs, input.schema.length) ? input : project(input, pre.exprs);
  const schema = [...agg.groupKeys.map((g) => g.type), ...agg.aggCalls.map((a) => a.returnType)];
  let node: BatchNode = { kind: 'hashAgg', schema, groupKey, aggCalls, input: aggInput };
  if (bound.having) node = { kind: 'filter', schema, predicate: bound.having, input: node };
  return node;
}

function project(input: BatchNode, exprs: Expr[]): BatchNode {
  return { kind: 'project', schema: exprs.map((e) => e.type), exprs, input };
}
