import { notSupported, type DataType, type Expr, type StateTableDesc, type StreamNode } from '@tributary/common';
import type { BoundOrderItem } from '../binder/bind-select.ts';
import type { BoundQuery, BoundUnion } from '../binder/bind-query.ts';
import { inputRef, literal } from '../binder/bound.ts';
import { project, type Planned, type PlannedQuery } from './stream-plan.ts';

// Stream plans of the set-level operators of a query: top-N, UNION [ALL], DISTINCT over a union.

/**
 * Exchange (single, or hash by the group key) -> StreamTopN / StreamGroupTopN. Its state table is
 * the input row with pk = group key ++ order columns ++ stream key.
 */
export function planTopN(
  mvName: string, input: Planned, groupKey: number[], orderBy: BoundOrderItem[], limit: number, offset: number, withRank: boolean,
): Planned {
  for (const o of orderBy) {
    if (o.nullsFirst !== (o.order === 'desc')) throw notSupported('NULLS FIRST / LAST other than the default in materialized views');
  }
  const n = input.node;
  const order = orderBy.map((o) => ({ index: o.index, order: o.order }));
  const pk: number[] = [];
  const pkOrders: ('asc' | 'desc')[] = [];
  const addPk = (i: number, dir: 'asc' | 'desc'): void => {
    if (pk.includes(i)) return;
    pk.push(i);
    pkOrders.push(dir);
  };
  for (const g of groupKey) addPk(g, 'asc');
  for (const o of order) addPk(o.index, o.order);
  for (const k of input.streamKey) addPk(k, 'asc');
  const table: StateTableDesc = {
    tableId: -1, name: `${mvName}.${groupKey.length > 0 ? 'group_' : ''}top_n_${topNCounter.next++}`, columns: n.schema, pk, pkOrders, distKey: groupKey,
  };
  const exchange: StreamNode = {
    kind: 'exchange', dist: groupKey.length > 0 ? { kind: 'hash', keys: groupKey } : { kind: 'single' },
    input: n, schema: n.schema, names: n.names,
  };
  const schema = withRank ? [...n.schema, 'bigint' as DataType] : n.schema;
  const names = withRank ? [...n.names, 'row_number'] : n.names;
  const node: StreamNode = {
    kind: 'topN', groupKey, orderBy: order, limit, offset, withRank, inputStreamKey: input.streamKey, table,
    input: exchange, schema, names,
  };
  // Group top-N: the group key is in the stream key, for the reason given in `planJoin`.
  const streamKey = [...new Set([...input.streamKey, ...groupKey])];
  return { node, streamKey, distKey: groupKey.length > 0 ? groupKey : null };
}

/** Numbers the top-N nodes of one plan (state table names). */
export const topNCounter = { next: 0 };

/**
 * UNION [ALL]: each branch projects to (visible columns, one slot per branch stream key column,
 * NULL in other branches, branch id) and is exchanged by that key into one StreamUnion; UNION adds
 * a StreamHashAgg over the visible columns (distinct); ORDER BY + LIMIT adds a top-N.
 */
export function planUnion(name: string, q: BoundUnion, planQuery: (name: string, q: BoundQuery) => PlannedQuery): PlannedQuery {
  const width = q.types.length;
  const branches = q.inputs.map((i) => planQuery(name, i).plan);
  const slotTypes: DataType[] = [];
  const slotNames: string[] = [];
  const slotStart = branches.map((b) => {
    const start = width + slotTypes.length;
    for (const k of b.streamKey) {
      slotTypes.push(b.node.schema[k]);
      slotNames.push(b.node.names[k]);
    }
    return start;
  });
  const branchId = width + slotTypes.length;
  const streamKey = [...slotTypes.map((_, i) => width + i), branchId];
  const schema: DataType[] = [...q.types, ...slotTypes, 'integer'];
  const names = [...q.names, ...slotNames, '_branch_id'];
  const inputs = branches.map((b, bi): StreamNode => {
    const exprs: Expr[] = q.types.map((t, c) => inputRef(c, t));
    slotTypes.forEach((t, s) => {
      const k = width + s - slotStart[bi];
      exprs.push(k >= 0 && k < b.streamKey.length ? inputRef(b.streamKey[k], t) : literal(t, null));
    });
    exprs.push(literal('integer', bi));
    const projected = project(b, exprs, names);
    return { kind: 'exchange', dist: { kind: 'hash', keys: streamKey }, input: projected, schema, names };
  });
  let plan: Planned = { node: { kind: 'union', inputs, schema, names }, streamKey, distKey: streamKey };
  let hidden = schema.map((_, i) => i >= width);
  if (!q.all) {
    plan = planDistinct(name, plan, width);
    hidden = q.types.map(() => false);
  }
  if (q.limit === null && q.offset !== 0) throw notSupported('OFFSET without LIMIT in materialized views');
  if (q.limit !== null) plan = planTopN(name, plan, [], q.orderBy, q.limit, q.offset, false);
  return { plan, hidden };
}

/** Exchange hash(first `width` columns) -> StreamHashAgg grouping by them with no calls. */
function planDistinct(mvName: string, input: Planned, width: number): Planned {
  const n = input.node;
  const groupKey = n.schema.slice(0, width).map((_, i) => i);
  const keyTypes = n.schema.slice(0, width);
  const resultTable: StateTableDesc = {
    tableId: -1, name: `${mvName}.union_distinct`, columns: [...keyTypes, 'bigint'],
    pk: groupKey, pkOrders: groupKey.map(() => 'asc'), distKey: groupKey,
  };
  const exchange: StreamNode = { kind: 'exchange', dist: { kind: 'hash', keys: groupKey }, input: n, schema: n.schema, names: n.names };
  const node: StreamNode = {
    kind: 'hashAgg', groupKey, aggCalls: [], inputStreamKey: input.streamKey, resultTable, minMaxTables: [], input: exchange,
    schema: keyTypes, names: n.names.slice(0, width),
  };
  return { node, streamKey: groupKey, distKey: groupKey };
}
