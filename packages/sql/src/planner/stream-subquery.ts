import type { AggCall, DataType, Expr, JoinType, StateTableDesc, StreamNode } from '@tributary/common';
import type { BoundQuery } from '../binder/bind-query.ts';
import type { BoundSubqueryJoin } from '../binder/bind-subquery.ts';
import { inputRef, literal, makeCall, typed } from '../binder/bound.ts';
import { remapExpr } from './expr-util.ts';
import { sideKeyColumns } from './join-keys.ts';
import { filter, project, type Planned, type PlannedQuery } from './stream-plan.ts';

// Stream plans of unnested subqueries (see BoundSubqueryJoin): semi/anti hash joins, and cross
// joins with a single-row aggregate for scalar subqueries and NOT IN's NULL checks.

/** A planned FROM and where each outer scope column landed in its output (-1: not carried). */
export interface ScopedPlan {
  plan: Planned;
  map: number[];
}

export interface SubqueryPlanContext {
  mvName: string;
  planQuery: (name: string, q: BoundQuery) => PlannedQuery;
}

/** Numbers the subquery joins of one plan (state table names). */
export const subqueryJoinCounter = { next: 0 };

/** The FROM plan cross joined with each scalar subquery; its value lands at its scope index. */
export function planScalarJoins(ctx: SubqueryPlanContext, from: ScopedPlan, joins: BoundSubqueryJoin[]): ScopedPlan {
  let { plan } = from;
  const map = [...from.map];
  for (const j of joins) {
    if (j.kind !== 'scalar') continue;
    const value = ctx.planQuery(ctx.mvName, j.query).plan;
    map[j.scopeIndex!] = plan.node.schema.length;
    plan = crossJoin(ctx.mvName, plan, value);
  }
  return { plan, map };
}

/** The (filtered) FROM plan semi/anti joined with each EXISTS / IN subquery. */
export function planSemiJoins(ctx: SubqueryPlanContext, outer: ScopedPlan, joins: BoundSubqueryJoin[]): ScopedPlan {
  let current = outer;
  for (const j of joins) {
    if (j.kind === 'scalar') continue;
    current = { plan: planSemiJoin(ctx, current, j), map: current.map };
  }
  return current;
}

/**
 * Outer `semi`/`anti` join subquery on the keys; the output is the outer columns (plus computed
 * outer key columns appended). NOT IN: anti join, then cross join with the subquery's
 * `[count(*), count(y)]` and keep `n = 0 OR (x IS NOT NULL AND count(y) = n)`.
 */
function planSemiJoin(ctx: SubqueryPlanContext, outer: ScopedPlan, j: BoundSubqueryJoin): Planned {
  const l = keyedSide(outer.plan, outer.map, j.outerKeys);
  const sub = ctx.planQuery(ctx.mvName, j.query).plan;
  const r = keyedSide(sub, sub.node.schema.map((_, i) => i), j.innerKeys);
  const lw = l.plan.node.schema.length;
  const condition = j.condition ? remapExpr(j.condition, (i) => (i < j.innerOffset ? outer.map[i] : lw + i - j.innerOffset)) : null;
  const joinType: JoinType = j.kind === 'semi' ? 'leftSemi' : 'leftAnti';
  const joined = hashJoin(ctx.mvName, joinType, l, r, condition);
  if (j.kind !== 'notIn') return joined;
  const again = ctx.planQuery(ctx.mvName, j.query).plan;
  const y = keyedSide(again, again.node.schema.map((_, i) => i), j.innerKeys);
  const counts = countAgg(ctx.mvName, y.plan, y.keys[0]);
  const crossed = crossJoin(ctx.mvName, joined, counts);
  const n = typed(inputRef(lw, 'bigint'));
  const nonNull = typed(inputRef(lw + 1, 'bigint'));
  const x = typed(inputRef(l.keys[0], l.plan.node.schema[l.keys[0]]));
  const empty = makeCall('=', [n, typed(literal('bigint', 0n))]).expr;
  const clean = bool('and', makeCall('is_not_null', [x]).expr, makeCall('=', [nonNull, n]).expr);
  const kept = filter(crossed, bool('or', empty, clean));
  const node = project(kept, l.plan.node.schema.map((t, i) => inputRef(i, t)), l.plan.node.names);
  return { node, streamKey: joined.streamKey, distKey: null };
}

/** One join input with its key columns, computed keys projected as extra columns. */
function keyedSide(plan: Planned, map: number[], keyExprs: Expr[]): { plan: Planned; keys: number[] } {
  const width = plan.node.schema.length;
  const { keys, extra } = sideKeyColumns(keyExprs, map, width);
  if (extra.length === 0) return { plan, keys };
  const exprs = [...plan.node.schema.map((t, i) => inputRef(i, t)), ...extra];
  return { plan: { ...plan, node: project(plan, exprs) }, keys };
}

/**
 * A hash join of `l` and `r` on their keys; without keys both sides go to one actor (a
 * nested-loop join). Semi/anti output = the left columns, stream key = left stream key ++ keys.
 */
function hashJoin(
  mvName: string, joinType: JoinType, l: { plan: Planned; keys: number[] }, r: { plan: Planned; keys: number[] }, condition: Expr | null,
): Planned {
  const id = subqueryJoinCounter.next++;
  const keyed = l.keys.length > 0;
  const sideTable = (name: string, p: Planned, keys: number[]): StateTableDesc => {
    const pk = [...keys, ...p.streamKey.filter((k) => !keys.includes(k))];
    return {
      tableId: -1, name: `${mvName}.subquery_join_${id}_${name}`, columns: [...p.node.schema, 'bigint'], pk,
      pkOrders: pk.map(() => 'asc'), distKey: keys,
    };
  };
  const exchange = (p: Planned, keys: number[]): StreamNode => ({
    kind: 'exchange', dist: keyed ? { kind: 'hash', keys } : { kind: 'single' }, input: p.node, schema: p.node.schema, names: p.node.names,
  });
  const semi = joinType === 'leftSemi' || joinType === 'leftAnti';
  const ln = l.plan.node;
  const rn = r.plan.node;
  const node: StreamNode = {
    kind: 'hashJoin', joinType, leftKeys: l.keys, rightKeys: r.keys, condition,
    leftStreamKey: l.plan.streamKey, rightStreamKey: r.plan.streamKey,
    leftTable: sideTable('left', l.plan, l.keys), rightTable: sideTable('right', r.plan, r.keys),
    left: exchange(l.plan, l.keys), right: exchange(r.plan, r.keys),
    schema: semi ? ln.schema : [...ln.schema, ...rn.schema], names: semi ? ln.names : [...ln.names, ...rn.names],
  };
  const lw = ln.schema.length;
  const streamKey = semi ? [...new Set([...l.plan.streamKey, ...l.keys])]
    : [...new Set([...l.plan.streamKey, ...r.plan.streamKey.map((k) => k + lw), ...l.keys])];
  return { node, streamKey, distKey: keyed ? l.keys : null };
}

/** `left` cross joined with a single-row `right` (on one actor); output = left ++ right. */
function crossJoin(mvName: string, left: Planned, right: Planned): Planned {
  return hashJoin(mvName, 'inner', { plan: left, keys: [] }, { plan: right, keys: [] }, null);
}

/** Exchange single -> StreamSimpleAgg [count(*), count(col)]: always exactly one row. */
function countAgg(mvName: string, input: Planned, col: number): Planned {
  const n = input.node;
  const aggCalls: AggCall[] = [
    { kind: 'count_star', arg: null, argType: null, returnType: 'bigint' },
    { kind: 'count', arg: col, argType: n.schema[col], returnType: 'bigint' },
  ];
  const resultTable: StateTableDesc = {
    tableId: -1, name: `${mvName}.subquery_count_${subqueryJoinCounter.next++}`,
    columns: ['bigint', ...aggCalls.map((): DataType => 'bytea')], pk: [], pkOrders: [], distKey: [],
  };
  const node: StreamNode = {
    kind: 'simpleAgg', aggCalls, inputStreamKey: input.streamKey, resultTable, minMaxTables: [null, null],
    input: { kind: 'exchange', dist: { kind: 'single' }, input: n, schema: n.schema, names: n.names },
    schema: ['bigint', 'bigint'], names: ['count', `count(${n.names[col]})`],
  };
  return { node, streamKey: [], distKey: null };
}

function bool(func: 'and' | 'or', a: Expr, b: Expr): Expr {
  return { kind: 'call', func, args: [a, b], type: 'boolean' };
}
