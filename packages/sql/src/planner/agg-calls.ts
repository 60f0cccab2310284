import type { AggCall, Expr } from '@tributary/common';
import type { BoundAggCall } from '../binder/aggregate.ts';
import type { ExprList } from './expr-util.ts';

/** Every input expression an aggregate call reads (argument, FILTER, delimiter, ORDER BY). */
export function aggCallInputs(call: BoundAggCall): Expr[] {
  return [
    ...(call.arg ? [call.arg] : []), ...(call.filter ? [call.filter] : []), ...(call.delimiter ? [call.delimiter] : []),
    ...call.orderBy.map((o) => o.expr),
  ];
}

/** Lowers bound calls to plan calls whose inputs are columns of `pre` (added as needed). */
export function lowerAggCalls(calls: BoundAggCall[], pre: ExprList, toPlan: (e: Expr) => Expr): AggCall[] {
  return calls.map((a) => {
    const arg = a.arg ? pre.add(toPlan(a.arg)) : null;
    const call: AggCall = { kind: a.kind, arg, argType: a.arg ? a.arg.type : null, returnType: a.returnType };
    if (a.distinct) call.distinct = true;
    if (a.filter) call.filter = pre.add(toPlan(a.filter));
    if (a.delimiter) call.delimiter = pre.add(toPlan(a.delimiter));
    if (a.orderBy.length > 0) {
      call.orderBy = a.orderBy.map((o) => ({ index: pre.add(toPlan(o.expr)), order: o.order, nullsFirst: o.nullsFirst }));
    }
    return call;
  });
}
