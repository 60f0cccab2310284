import {
  DbError, SqlState, canCast, castDatum, datumFromJson, datumToJson, parseDatum, resolveCall,
  type CastContext, type DataType, type Datum, type Expr,
} from '@tributary/common';
import { noteParamType } from './param-types.ts';

/**
 * A bound expression. `unknown` marks an untyped literal (a string constant or NULL): like
 * PostgreSQL's `unknown` type, its type is decided by the context that consumes it.
 */
export interface Bound {
  expr: Expr;
  unknown?: { text: string | null; /** `$n` being prepared (see param-types.ts). */ param?: number };
}

export function inputRef(index: number, type: DataType): Expr {
  return { kind: 'input', index, type };
}

export function literal(type: DataType, datum: Datum): Expr {
  return { kind: 'literal', value: datumToJson(type, datum), type };
}

export function literalDatum(expr: Expr & { kind: 'literal' }): Datum {
  return datumFromJson(expr.type, expr.value);
}

export function typed(expr: Expr): Bound {
  return { expr };
}

export function unknownLiteral(text: string | null): Bound {
  return { expr: literal('character varying', text), unknown: { text } };
}

/** `cast(expr as to)`, folded when `expr` is a literal. */
export function castExpr(expr: Expr, to: DataType): Expr {
  if (expr.type === to) return expr;
  if (expr.kind === 'literal') return literal(to, castDatum(expr.type, to, literalDatum(expr)));
  return { kind: 'call', func: 'cast', args: [expr], type: to };
}

/**
 * Converts `b` to type `to` under cast context `context`; an unknown literal is parsed as `to`.
 * Throws 42846 when no such cast exists (callers wanting another message check `canCast` first).
 */
export function coerce(b: Bound, to: DataType, context: CastContext): Expr {
  if (b.unknown) {
    if (b.unknown.param !== undefined) noteParamType(b.unknown.param, to);
    const text = b.unknown.text;
    return literal(to, text === null ? null : parseDatum(to, text));
  }
  if (b.expr.type === to) return b.expr;
  if (!canCast(b.expr.type, to, context)) {
    throw new DbError(SqlState.CannotCoerce, `cannot cast type ${b.expr.type} to ${to}`);
  }
  return castExpr(b.expr, to);
}

/** The expression with an unknown literal resolved to text (PostgreSQL 10+ output rule). */
export function finalize(b: Bound): Expr {
  return b.unknown ? coerce(b, 'character varying', 'implicit') : b.expr;
}

/**
 * A call of a scalar function or operator, resolved like PostgreSQL by `resolveCall` (unknown
 * literal arguments included); unknown literals are then parsed as the chosen parameter types and
 * implicit casts become `cast` calls. Throws 42883 when nothing fits.
 */
export function makeCall(func: string, args: Bound[]): Bound {
  const resolved = resolveCall(func, args.map((a) => (a.unknown ? 'unknown' : a.expr.type)));
  const exprs = args.map((a, i) => coerce(a, resolved.argTypes[i], 'implicit'));
  return typed({ kind: 'call', func: resolved.func, args: exprs, type: resolved.returnType });
}

/** Deep structural equality of two bound expressions. */
export function exprEquals(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
