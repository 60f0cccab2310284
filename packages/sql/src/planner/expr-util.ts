import type { Expr } from '@tributary/common';

/** Adds every input column index `e` reads to `out`. */
export function collectInputs(e: Expr, out: Set<number>): Set<number> {
  if (e.kind === 'input') out.add(e.index);
  else if (e.kind === 'call') for (const a of e.args) collectInputs(a, out);
  return out;
}

/** `e` with input ref `i` replaced by input ref `map(i)`. */
export function remapExpr(e: Expr, map: (index: number) => number): Expr {
  if (e.kind === 'input') return { ...e, index: map(e.index) };
  if (e.kind === 'call') return { ...e, args: e.args.map((a) => remapExpr(a, map)) } as Expr;
  return e;
}

/** Whether `exprs` just forwards its input of width `width` unchanged. */
export function isIdentity(exprs: readonly Expr[], width: number): boolean {
  return exprs.length === width && exprs.every((e, i) => e.kind === 'input' && e.index === i);
}

/** A deduplicating list of expressions (for projections feeding aggregations). */
export class ExprList {
  readonly exprs: Expr[] = [];
  private readonly keys: string[] = [];

  /** Position of `e`, appending it when new. */
  add(e: Expr): number {
    const key = JSON.stringify(e);
    let i = this.keys.indexOf(key);
    if (i < 0) {
      i = this.exprs.push(e) - 1;
      this.keys.push(key);
    }
    return i;
  }
}
