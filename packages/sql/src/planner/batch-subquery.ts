import type { AggCall, BatchNode, Expr, JoinType } from '@tributary/common';
import type { BoundQuery } from '../binder/bind-query.ts';
import type { BoundSubqueryJoin } from '../binder/bind-subquery.ts';
import { inputRef, literal, makeCall, typed } from '../binder/bound.ts';
import { remapExpr } from './expr-util.ts';
import { sideKeyColumns } from './join-keys.ts';

// Batch plans of unnested subqueries, the same shapes as the stream plans (stream-subquery.ts).

/** A batch plan and where each scope column landed in its output (-1: not carried). */
export interface ScopedBatch {
  node: BatchNode;
  map: number[];
}

type PlanQuery = (q: BoundQuery) => BatchNode;

/** Cross joins with each scalar subquery (exactly one row); its value lands at its scope index. */
export function planBatchScalarJoins(planQuery: PlanQuery, from: ScopedBatch, joins: BoundSubqueryJoin[]): ScopedBatch {
  let { node } = from;
  const map = [...from.map];
  for (const j of joins) {
    if (j.kind !== 'scalar') continue;
    map[j.scopeIndex!] = node.schema.length;
    node = join('inner', { node, keys: [] }, { node: planQuery(j.query), keys: [] }, null);
  }
  return { node, map };
}

/** Semi/anti joins with each EXISTS / IN subquery; NOT IN adds its NULL checks (see planSemiJoin in stream-subquery.ts). */
export function planBatchSemiJoins(planQuery: PlanQuery, outer: ScopedBatch, joins: BoundSubqueryJoin[]): ScopedBatch {
  let node = outer.node;
  for (const j of joins) {
    if (j.kind === 'scalar') continue;
    const l = keyed(node, outer.map, j.outerKeys);
    const subNode = planQuery(j.query);
    const r = keyed(subNode, subNode.schema.map((_, i) => i), j.innerKeys);
    const lw = l.node.schema.length;
    const condition = j.condition ? remapExpr(j.condition, (i) => (i < j.innerOffset ? outer.map[i] : lw + i - j.innerOffset)) : null;
    node = join(j.kind === 'semi' ? 'leftSemi' : 'leftAnti', l, r, condition);
    if (j.kind === 'notIn') node = notInChecks(node, l.keys[0], r);
  }
  return { node, map: outer.map };
}

/** Keeps anti join rows when the subquery is empty, or the key is not NULL and no subquery key is. */
function notInChecks(anti: BatchNode, key: number, sub: { node: BatchNode; keys: number[] }): BatchNode {
  const aggCalls: AggCall[] = [
    { kind: 'count_star', arg: null, argType: null, returnType: 'bigint' },
    { kind: 'count', arg: sub.keys[0], argType: sub.node.schema[sub.keys[0]], returnType: 'bigint' },
  ];
  const counts: BatchNode = { kind: 'hashAgg', schema: ['bigint', 'bigint'], groupKey: [], aggCalls, input: sub.node };
  const crossed = join('inner', { node: anti, keys: [] }, { node: counts, keys: [] }, null);
  const w = anti.schema.length;
  const n = typed(inputRef(w, 'bigint'));
  const empty = makeCall('=', [n, typed(literal('bigint', 0n))]).expr;
  const clean = bool('and', makeCall('is_not_null', [typed(inputRef(key, anti.schema[key]))]).expr, makeCall('=', [typed(inputRef(w + 1, 'bigint')), n]).expr);
  const kept: BatchNode = { kind: 'filter', schema: crossed.schema, predicate: bool('or', empty, clean), input: crossed };
  return { kind: 'project', schema: anti.schema, exprs: anti.schema.map((t, i) => inputRef(i, t)), input: kept };
}

function keyed(node: BatchNode, map: number[], keyExprs: Expr[]): { node: BatchNode; keys: number[] } {
  const width = node.schema.length;
  const { keys, extra } = sideKeyColumns(keyExprs, map, width);
  if (extra.length === 0) return { node, keys };
  const exprs = [...node.schema.map((t, i) => inputRef(i, t)), ...extra];
  return { node: { kind: 'project', schema: exprs.map((e) => e.type), exprs, input: node }, keys };
}

function join(joinType: JoinType, l: { node: BatchNode; keys: number[] }, r: { node: BatchNode; keys: number[] }, condition: Expr | null): BatchNode {
  const semi = joinType === 'leftSemi' || joinType === 'leftAnti';
  return {
    kind: 'hashJoin', schema: semi ? l.node.schema : [...l.node.schema, ...r.node.schema], joinType,
    leftKeys: l.keys, rightKeys: r.keys, condition, left: l.node, right: r.node,
  };
}

function bool(func: 'and' | 'or', a: Expr, b: Expr): Expr {
  return { kind: 'call', func, args: [a, b], type: 'boolean' };
}
