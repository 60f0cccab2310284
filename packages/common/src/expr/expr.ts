import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { datumFromJson, datumToJson } from '../types/datum-json.ts';
import { formatDatum } from '../types/format.ts';

/**
 * The scalar expression IR shipped inside plans. Plain JSON: literals hold `datumToJson` values.
 *
 * Calls name a function of the registry (`functions.ts`) plus the built-ins handled by
 * `buildExpr` itself:
 * - `cast`: one argument, converted to the call's `type` with PG cast semantics;
 * - `case`: arguments `cond1, value1, cond2, value2, ... [, else]`; a value is evaluated only for
 *   the rows that take its branch (so `CASE WHEN b <> 0 THEN a / b END` never divides by zero);
 * - `and`, `or`, `coalesce` evaluate later arguments only for rows still undecided.
 * Arguments have already been cast by the binder to the types `resolveCall` returned.
 */
export type Expr = InputRef | Literal | Call;

export interface InputRef {
  readonly kind: 'input';
  readonly index: number;
  readonly type: DataType;
}

export interface Literal {
  readonly kind: 'literal';
  /** `datumToJson` form of the value. */
  readonly value: unknown;
  readonly type: DataType;
}

export interface Call {
  readonly kind: 'call';
  readonly func: string;
  readonly args: readonly Expr[];
  readonly type: DataType;
}

export const Expr = {
  input(index: number, type: DataType): InputRef {
    return { kind: 'input', index, type };
  },
  /** A literal from an in-memory datum. */
  literal(value: Datum, type: DataType): Literal {
    return { kind: 'literal', value: datumToJson(type, value), type };
  },
  call(func: string, args: readonly Expr[], type: DataType): Call {
    return { kind: 'call', func, args, type };
  },
  cast(arg: Expr, type: DataType): Expr {
    return arg.type === type ? arg : { kind: 'call', func: 'cast', args: [arg], type };
  },
};

/** The in-memory value of a literal. */
export function literalDatum(e: Literal): Datum {
  return datumFromJson(e.type, e.value);
}

/** Input column indexes referenced by `e`. */
export function collectInputs(e: Expr, out: Set<number> = new Set()): Set<number> {
  if (e.kind === 'input') out.add(e.index);
  else if (e.kind === 'call') for (const a of e.args) collectInputs(a, out);
  return out;
}

/** Debug rendering: `$0`, `42::integer`, `+($0, 1::integer)`. */
export function exprToString(e: Expr): string {
  switch (e.kind) {
    case 'input': return `$${e.index}`;
    case 'literal': {
      const d = literalDatum(e);
      return d === null ? `null::${e.type}` : `${formatDatum(e.type, d)}::${e.type}`;
    }
    case 'call': return `${e.func}(${e.args.map(exprToString).join(', ')})`;
  }
}
