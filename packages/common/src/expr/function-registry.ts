import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';

/** The overload table behind `resolveCall` / `getFunctionImpl`; the builtins-*.ts files fill it. */

/** An argument type during binding: 'unknown' is an untyped string literal. */
export type ArgType = DataType | 'unknown';

export interface FunctionImpl {
  /** NULL in any argument gives NULL without calling `eval`. */
  readonly strict: boolean;
  /** Evaluates one row. `args` is a scratch array reused across rows: do not keep it. */
  readonly eval: (args: Datum[]) => Datum;
}

export interface Overload {
  readonly args: readonly DataType[];
  /** Types the binder casts the arguments to (default `args`); lets float4-with-float8 compute in float8. */
  readonly castTo?: readonly DataType[];
  readonly ret: DataType;
  /** The last argument type repeats (n >= args.length - 1... see `arityMatches`). */
  readonly variadic?: boolean;
  readonly impl: FunctionImpl;
}

export interface ResolvedCall {
  func: string;
  /** Argument types after implicit casts: the binder wraps each argument in a `cast` to it. */
  argTypes: DataType[];
  returnType: DataType;
}

export const REGISTRY = new Map<string, Overload[]>();

export function register(name: string | string[], ov: Overload): void {
  for (const n of Array.isArray(name) ? name : [name]) {
    let list = REGISTRY.get(n);
    if (list === undefined) REGISTRY.set(n, (list = []));
    list.push(ov);
  }
}

export function strict(fn: (args: Datum[]) => Datum): FunctionImpl {
  return { strict: true, eval: fn };
}

export function lenient(fn: (args: Datum[]) => Datum): FunctionImpl {
  return { strict: false, eval: fn };
}

// ---------------------------------------------------------------------------------------------
// Errors.

const OPERATOR_SYMBOLS: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', neg: '-', '=': '=', '<>': '<>', '<': '<',
  '<=': '<=', '>': '>', '>=': '>=', '||': '||', like: '~~', not_like: '!~~', ilike: '~~*',
  not_ilike: '!~~*', and: 'AND', or: 'OR', not: 'NOT',
};

export function noSuchFunction(func: string, argTypes: readonly ArgType[]): DbError {
  const op = OPERATOR_SYMBOLS[func];
  if (op !== undefined) {
    const text = argTypes.length === 1 ? `${op} ${argTypes[0]}` : `${argTypes[0]} ${op} ${argTypes[1]}`;
    return new DbError(SqlState.UndefinedFunction, `operator does not exist: ${text}`, {
      hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  return new DbError(SqlState.UndefinedFunction, `function ${func}(${argTypes.join(', ')}) does not exist`, {
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

export function intOutOfRange(type: DataType): DbError {
  return new DbError(SqlState.NumericValueOutOfRange, `${type} out of range`);
}

export function divisionByZero(): DbError {
  return new DbError(SqlState.DivisionByZero, 'division by zero');
}

export function floatOverflow(): DbError {
  return new DbError(SqlState.NumericValueOutOfRange, 'value out of range: overflow');
}
