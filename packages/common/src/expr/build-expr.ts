import type { Datum } from '../types/datum.ts';
import { castDatum } from '../types/cast.ts';
import { collectInputs, literalDatum, type Call, type Expr } from './expr.ts';
import { getFunctionImpl } from './functions.ts';

/**
 * Evaluates an expression over a whole chunk: `columns[c][row]`, `n` rows; returns one value per
 * row. The result may alias an input column (for `input` expressions): do not mutate it.
 */
export type ColumnEvaluator = (columns: Datum[][], n: number) => Datum[];

/**
 * Compiles an expression into a column-at-a-time evaluator. Work done once here: literal decoding,
 * overload lookup, scratch argument arrays; the per-row loops allocate nothing.
 */
export function buildExpr(expr: Expr): ColumnEvaluator {
  switch (expr.kind) {
    case 'input': {
      const index = expr.index;
      return (cols) => cols[index];
    }
    case 'literal': {
      const v = literalDatum(expr);
      return (_cols, n) => new Array<Datum>(n).fill(v);
    }
    case 'call':
      return buildCall(expr);
  }
}

function buildCall(e: Call): ColumnEvaluator {
  switch (e.func) {
    case 'cast': return buildCast(e);
    case 'case': return buildCase(e);
    case 'and': return buildLogical(e, false);
    case 'or': return buildLogical(e, true);
    case 'coalesce': return buildCoalesce(e);
  }
  const { impl } = getFunctionImpl(e.func, e.args.map((a) => a.type));
  const args = e.args.map(buildExpr);
  const arity = args.length;
  const scratch = new Array<Datum>(arity);
  const argCols = new Array<Datum[]>(arity);
  const fn = impl.eval;
  const isStrict = impl.strict;
  return (cols, n) => {
    for (let a = 0; a < arity; a++) argCols[a] = args[a](cols, n);
    const out = new Array<Datum>(n);
    rows: for (let r = 0; r < n; r++) {
      for (let a = 0; a < arity; a++) {
        const v = argCols[a][r];
        if (v === null && isStrict) {
          out[r] = null;
          continue rows;
        }
        scratch[a] = v;
      }
      out[r] = fn(scratch);
    }
    return out;
  };
}

function buildCast(e: Call): ColumnEvaluator {
  const arg = buildExpr(e.args[0]);
  const from = e.args[0].type;
  const to = e.type;
  if (from === to) return arg;
  return (cols, n) => {
    const input = arg(cols, n);
    const out = new Array<Datum>(n);
    for (let r = 0; r < n; r++) out[r] = castDatum(from, to, input[r]);
    return out;
  };
}

/**
 * Evaluates `ev` only on `rows` (ascending row numbers): gathers the referenced input columns into
 * a smaller chunk. Returns values aligned with `rows`.
 */
function evalOnRows(ev: ColumnEvaluator, inputs: number[], cols: Datum[][], n: number, rows: number[]): Datum[] {
  if (rows.length === n) return ev(cols, n);
  const sub: Datum[][] = new Array(cols.length);
  for (const c of inputs) {
    const src = cols[c];
    const dst = new Array<Datum>(rows.length);
    for (let i = 0; i < rows.length; i++) dst[i] = src[rows[i]];
    sub[c] = dst;
  }
  return ev(sub, rows.length);
}

interface LazyArg {
  ev: ColumnEvaluator;
  inputs: number[];
}

function lazyArgs(e: Call): LazyArg[] {
  return e.args.map((a) => ({ ev: buildExpr(a), inputs: [...collectInputs(a)] }));
}

/** Three-valued AND (`isOr` false) / OR, evaluating later arguments only for undecided rows. */
function buildLogical(e: Call, isOr: boolean): ColumnEvaluator {
  const args = lazyArgs(e);
  const decisive = isOr;
  return (cols, n) => {
    const out = args[0].ev(cols, n).slice(0, n);
    for (let a = 1; a < args.length; a++) {
      const rows: number[] = [];
      for (let r = 0; r < n; r++) if (out[r] !== decisive) rows.push(r);
      if (rows.length === 0) break;
      const vals = evalOnRows(args[a].ev, args[a].inputs, cols, n, rows);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const v = vals[i];
        if (v === decisive) out[r] = decisive;
        else if (v === null) out[r] = null;
      }
    }
    return out;
  };
}

function buildCoalesce(e: Call): ColumnEvaluator {
  const args = lazyArgs(e);
  return (cols, n) => {
    const out = args[0].ev(cols, n).slice(0, n);
    for (let a = 1; a < args.length; a++) {
      const rows: number[] = [];
      for (let r = 0; r < n; r++) if (out[r] === null) rows.push(r);
      if (rows.length === 0) break;
      const vals = evalOnRows(args[a].ev, args[a].inputs, cols, n, rows);
      for (let i = 0; i < rows.length; i++) out[rows[i]] = vals[i];
    }
    return out;
  };
}

/** CASE WHEN c1 THEN v1 ... [ELSE e] END: each branch only sees the rows that reach it. */
function buildCase(e: Call): ColumnEvaluator {
  const args = lazyArgs(e);
  const pairs = args.length >> 1;
  const elseArg = args.length % 2 === 1 ? args[args.length - 1] : null;
  return (cols, n) => {
    const out = new Array<Datum>(n).fill(null);
    let pending: number[] = new Array(n);
    for (let r = 0; r < n; r++) pending[r] = r;
    for (let p = 0; p < pairs && pending.length > 0; p++) {
      const cond = args[2 * p];
      const value = args[2 * p + 1];
      const conds = evalOnRows(cond.ev, cond.inputs, cols, n, pending);
      const taken: number[] = [];
      const rest: number[] = [];
      for (let i = 0; i < pending.length; i++) (conds[i] === true ? taken : rest).push(pending[i]);
      if (taken.length > 0) {
        const vals = evalOnRows(value.ev, value.inputs, cols, n, taken);
        for (let i = 0; i < taken.length; i++) out[taken[i]] = vals[i];
      }
      pending = rest;
    }
    if (elseArg !== null && pending.length > 0) {
      const vals = evalOnRows(elseArg.ev, elseArg.inputs, cols, n, pending);
      for (let i = 0; i < pending.length; i++) out[pending[i]] = vals[i];
    }
    return out;
  };
}

/** Evaluates an expression on one row (constant folding, tests). */
export function evalExprOnRow(expr: Expr, row: Datum[]): Datum {
  const cols = row.map((d) => [d]);
  return buildExpr(expr)(cols, 1)[0];
}
