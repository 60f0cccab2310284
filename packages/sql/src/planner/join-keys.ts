import { notSupported, type Expr } from '@tributary/common';
import type { BoundFrom, BoundJoin } from '../binder/relation.ts';
import { collectInputs, remapExpr } from './expr-util.ts';

/** An ON condition split into equi-join key pairs and the rest (all over the query scope). */
export interface JoinCondition {
  leftKeys: Expr[];
  rightKeys: Expr[];
  residual: Expr | null;
}

export function conjuncts(e: Expr | null): Expr[] {
  if (e === null) return [];
  if (e.kind === 'call' && e.func === 'and') return e.args.flatMap((a) => conjuncts(a));
  return [e];
}

export function conjoin(list: Expr[]): Expr | null {
  if (list.length === 0) return null;
  return list.reduce((a, b) => ({ kind: 'call', func: 'and', args: [a, b], type: 'boolean' }));
}

/**
 * Splits `join.on` into `l = r` pairs where `l` reads only left columns and `r` only right ones
 * (either order) and the rest. A join without any such pair is a nested-loop join: batch
 * queries run it (`nestedLoop`), a streaming one is 0A000 (its state would pair every row).
 */
export function splitJoinCondition(join: BoundJoin, nestedLoop = false): JoinCondition {
  const mid = join.right.offset;
  const side = (e: Expr): 'left' | 'right' | null => {
    const ins = [...collectInputs(e, new Set())];
    if (ins.length === 0) return null;
    if (ins.every((i) => i < mid)) return 'left';
    if (ins.every((i) => i >= mid)) return 'right';
    return null;
  };
  const out: JoinCondition = { leftKeys: [], rightKeys: [], residual: null };
  const rest: Expr[] = [];
  for (const c of conjuncts(join.on)) {
    if (c.kind === 'call' && c.func === '=' && c.args.length === 2 && c.args[0].type === c.args[1].type) {
      const [a, b] = c.args;
      const sa = side(a);
      const sb = side(b);
      if (sa === 'left' && sb === 'right') {
        out.leftKeys.push(a);
        out.rightKeys.push(b);
        continue;
      }
      if (sa === 'right' && sb === 'left') {
        out.leftKeys.push(b);
        out.rightKeys.push(a);
        continue;
      }
    }
    rest.push(c);
  }
  if (out.leftKeys.length === 0 && !nestedLoop) {
    throw notSupported('joins without an equality condition between the two sides (nested-loop join)');
  }
  out.residual = conjoin(rest);
  return out;
}

/**
 * Moves WHERE conjuncts that read both sides of an inner join into that join's condition (the
 * lowest join covering them, reached from the root through inner joins only), so `FROM a, b
 * WHERE a.x = b.y` plans as an equi-join. Returns the remaining WHERE.
 */
export function pushWhereIntoJoins(from: BoundFrom | null, where: Expr | null): { from: BoundFrom | null; where: Expr | null } {
  if (from === null || from.kind !== 'join' || where === null) return { from, where };
  const spine: BoundJoin[] = [];
  for (let n: BoundFrom = from; n.kind === 'join' && n.joinType === 'inner'; n = n.left) spine.push(n);
  if (spine.length === 0) return { from, where };
  const extra = new Map<BoundJoin, Expr[]>();
  const keep: Expr[] = [];
  for (const c of conjuncts(where)) {
    const ins = [...collectInputs(c, new Set())];
    const max = Math.max(...ins);
    const min = Math.min(...ins);
    // The lowest spine join whose right leaf holds the highest column read.
    const target = spine.find((j) => max >= j.right.offset && max < j.right.offset + j.right.width);
    if (ins.length === 0 || !target || min >= target.right.offset) {
      keep.push(c);
      continue;
    }
    extra.set(target, [...(extra.get(target) ?? []), c]);
  }
  const rebuild = (n: BoundFrom): BoundFrom => {
    if (n.kind !== 'join') return n;
    const added = extra.get(n) ?? [];
    const left = rebuild(n.left);
    return { ...n, left, on: conjoin([...conjuncts(n.on), ...added]) };
  };
  return { from: rebuild(from), where: conjoin(keep) };
}

/**
 * Join key expressions of one side as column positions of that side's output (`map`: scope index
 * -> output index). Keys that are not plain columns are appended as computed columns (`extra`,
 * over the side's output) after its `width` columns.
 */
export function sideKeyColumns(keys: Expr[], map: number[], width: number): { keys: number[]; extra: Expr[] } {
  const extra: Expr[] = [];
  const positions = keys.map((k) => {
    const e = remapExpr(k, (i) => map[i]);
    if (e.kind === 'input') return e.index;
    return width + extra.push(e) - 1;
  });
  return { keys: positions, extra };
}
