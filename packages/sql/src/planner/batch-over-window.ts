import type { BatchNode, Expr, SortKey, WindowCall } from '@tributary/common';
import type { BoundWindowCall } from '../binder/window.ts';
import { inputRef } from '../binder/bound.ts';
import { ExprList, isIdentity } from './expr-util.ts';

/**
 * The window calls of a SELECT over `input`: [Project(input ++ call inputs)] -> one BatchOverWindow
 * per distinct window (PARTITION BY + ORDER BY), chained. `toInput` maps a call's expression onto
 * `input`. Returns the plan and, per call, the column holding its result.
 */
export function planBatchWindows(
  input: BatchNode, calls: BoundWindowCall[], toInput: (e: Expr) => Expr,
): { node: BatchNode; columns: number[] } {
  const pre = new ExprList();
  input.schema.forEach((t, i) => pre.add(inputRef(i, t)));
  const lowered = calls.map((c) => ({
    call: c,
    args: c.args.map((a) => pre.add(toInput(a))),
    filter: c.filter ? pre.add(toInput(c.filter)) : undefined,
    partitionBy: c.partitionBy.map((p) => pre.add(toInput(p))),
    orderBy: c.orderBy.map((o): SortKey => ({ index: pre.add(toInput(o.expr)), order: o.order, nullsFirst: o.nullsFirst })),
  }));
  let node: BatchNode = isIdentity(pre.exprs, input.schema.length)
    ? input
    : { kind: 'project', schema: pre.exprs.map((e) => e.type), exprs: pre.exprs, input };
  const columns = new Array<number>(calls.length);
  const windowKeys = [...new Set(lowered.map((l) => JSON.stringify([l.partitionBy, l.orderBy])))];
  for (const key of windowKeys) {
    const group = lowered.map((l, i) => ({ ...l, i })).filter((l) => JSON.stringify([l.partitionBy, l.orderBy]) === key);
    const width = node.schema.length;
    const windowCalls = group.map((l): WindowCall => ({
      kind: l.call.kind, args: l.args, argTypes: l.args.map((a) => pre.exprs[a].type), returnType: l.call.returnType,
      ...(l.filter !== undefined ? { filter: l.filter } : {}),
    }));
    group.forEach((l, j) => (columns[l.i] = width + j));
    node = {
      kind: 'overWindow', schema: [...node.schema, ...windowCalls.map((c) => c.returnType)],
      partitionBy: group[0].partitionBy, orderBy: group[0].orderBy, calls: windowCalls, input: node,
    };
  }
  return { node, columns };
}
