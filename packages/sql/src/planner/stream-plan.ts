import type { Expr, StreamNode } from '@tributary/common';
import { inputRef } from '../binder/bound.ts';
import { explainExpr } from './explain-expr.ts';

/** A stream plan under construction: the node, its stream key and how its rows are spread. */
export interface Planned {
  node: StreamNode;
  streamKey: number[];
  /** Hash keys (output indices) or null for a singleton. */
  distKey: number[] | null;
  /** The dist key is one hidden row id whose vnode is embedded in it (tables without a pk, sources). */
  distKeyIsRowId?: boolean;
}

/** A planned query: its output is the query's columns, then hidden (stream key) columns. */
export interface PlannedQuery {
  plan: Planned;
  hidden: boolean[];
}

export function filter(plan: Planned, predicate: Expr): Planned {
  const n = plan.node;
  return { ...plan, node: { kind: 'filter', predicate, input: n, schema: n.schema, names: n.names } };
}

export function project(plan: Planned, exprs: Expr[], names?: string[]): StreamNode {
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
export function planProject(plan: Planned, items: Expr[]): { plan: Planned; hidden: boolean[] } {
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
