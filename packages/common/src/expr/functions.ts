import type { DataType } from '../types/data-type.ts';
import { canCast } from '../types/cast.ts';
import { noSuchFunction, REGISTRY, type ArgType, type FunctionImpl, type Overload, type ResolvedCall } from './function-registry.ts';
import { registerArithmetic, registerRounding } from './builtins-numeric.ts';
import { registerDateTime } from './builtins-datetime.ts';
import { registerDateTimeFields } from './builtins-datetime-fields.ts';
import { registerToChar } from './builtins-to-char.ts';
import { registerDateTimeMake } from './builtins-datetime-make.ts';
import { registerComparisons } from './builtins-compare.ts';
import { registerConcat, registerStrings } from './builtins-string.ts';
import { registerCatalogFunctions } from './builtins-catalog.ts';

export type { ArgType, FunctionImpl, ResolvedCall } from './function-registry.ts';
export { divisionByZero, intOutOfRange } from './function-registry.ts';
export { likeToRegExp } from './builtins-string.ts';
export { setCatalogFunctionLookup, type CatalogFunctionLookup, type CatalogSessionInfo } from './builtins-catalog.ts';

/**
 * The scalar function and operator registry.
 *
 * 1. Every name maps to overloads with concrete argument types (polymorphic ones such as `=` or
 *    `coalesce` are registered once per type).
 * 2. `resolveCall` picks an overload like PG's operator/function type resolution: unknown
 *    arguments (untyped string literals) take the type of the known arguments, falling back to
 *    varchar; then among overloads reachable by implicit casts keep those with the most exact
 *    matches, then those taking PG's preferred type (double precision, varchar, timestamptz,
 *    interval) at the most converted positions; the first remaining one in table order wins.
 * 3. `getFunctionImpl` finds the implementation for the post-cast argument types.
 */

// ---------------------------------------------------------------------------------------------
// Resolution.

const VARCHAR: DataType = 'character varying';

const PREFERRED = new Set<DataType>(['double precision', 'character varying', 'timestamp with time zone', 'interval', 'boolean']);

function arityMatches(ov: Overload, n: number): boolean {
  return ov.variadic ? n >= ov.args.length - 1 && n >= 1 : n === ov.args.length;
}

function paramType(ov: Overload, i: number): DataType {
  return i < ov.args.length ? ov.args[i] : ov.args[ov.args.length - 1];
}

function castType(ov: Overload, i: number): DataType {
  const t = ov.castTo ?? ov.args;
  return i < t.length ? t[i] : t[t.length - 1];
}

/** Picks the overload for concrete argument types (no unknowns), or null. */
function pickOverload(list: readonly Overload[], types: readonly DataType[]): Overload | null {
  let best: Overload | null = null;
  let bestExact = -1;
  let bestPreferred = -1;
  for (const ov of list) {
    if (!arityMatches(ov, types.length)) continue;
    let exact = 0;
    let preferred = 0;
    let ok = true;
    for (let i = 0; i < types.length && ok; i++) {
      const p = paramType(ov, i);
      if (p === types[i]) exact++;
      else if (canCast(types[i], p, 'implicit')) preferred += PREFERRED.has(p) ? 1 : 0;
      else ok = false;
    }
    if (!ok) continue;
    if (exact > bestExact || (exact === bestExact && preferred > bestPreferred)) {
      best = ov;
      bestExact = exact;
      bestPreferred = preferred;
    }
  }
  return best;
}

/**
 * Resolves a call like PG. Throws 42883 `operator does not exist: integer = boolean` or
 * `function foo(integer) does not exist` when nothing fits.
 */
export function resolveCall(func: string, argTypes: readonly ArgType[]): ResolvedCall {
  const list = REGISTRY.get(func);
  if (list === undefined) throw noSuchFunction(func, argTypes);
  if (func === 'concat' && argTypes.length > 0) {
    // concat(VARIADIC "any"): every argument is printed as text.
    return { func, argTypes: argTypes.map(() => VARCHAR), returnType: VARCHAR };
  }
  const known = argTypes.filter((t): t is DataType => t !== 'unknown');
  const attempts: DataType[][] = [];
  if (known.length === argTypes.length) attempts.push(known);
  else {
    const common = commonType(known);
    if (common !== null) attempts.push(argTypes.map((t) => (t === 'unknown' ? common : t)));
    attempts.push(argTypes.map((t) => (t === 'unknown' ? 'character varying' : t)));
  }
  for (const types of attempts) {
    const ov = pickOverload(list, types);
    if (ov !== null) {
      return { func, argTypes: types.map((_, i) => castType(ov, i)), returnType: ov.ret };
    }
  }
  const only = soleCandidate(list, argTypes);
  if (only !== null) return { func, argTypes: argTypes.map((_, i) => castType(only, i)), returnType: only.ret };
  throw noSuchFunction(func, argTypes);
}

/**
 * PG's last resort for unknown literals: when exactly one overload accepts the known arguments,
 * the unknowns take its parameter types (`to_timestamp('NaN')` is `to_timestamp(float8)`).
 */
function soleCandidate(list: readonly Overload[], argTypes: readonly ArgType[]): Overload | null {
  if (!argTypes.includes('unknown')) return null;
  const fits = list.filter((ov) => arityMatches(ov, argTypes.length) && argTypes.every((t, i) => {
    const p = paramType(ov, i);
    return t === 'unknown' || t === p || canCast(t, p, 'implicit');
  }));
  return fits.length === 1 ? fits[0] : null;
}

/** The known type every other known type casts to implicitly (unknowns then take it), or null. */
function commonType(known: readonly DataType[]): DataType | null {
  if (known.length === 0) return null;
  for (const cand of known) {
    if (known.every((t) => t === cand || canCast(t, cand, 'implicit'))) return cand;
  }
  return null;
}

/** The implementation for post-cast argument types (as returned by `resolveCall`). */
export function getFunctionImpl(func: string, argTypes: readonly DataType[]): { impl: FunctionImpl; returnType: DataType } {
  const list = REGISTRY.get(func);
  if (list !== undefined) {
    for (const ov of list) {
      if (!arityMatches(ov, argTypes.length)) continue;
      let ok = true;
      for (let i = 0; i < argTypes.length && ok; i++) ok = castType(ov, i) === argTypes[i];
      if (ok) return { impl: ov.impl, returnType: ov.ret };
    }
  }
  throw noSuchFunction(func, argTypes);
}

export function functionExists(func: string): boolean {
  return REGISTRY.has(func);
}

registerArithmetic();
registerRounding();
registerDateTime();
registerDateTimeFields();
registerToChar();
registerDateTimeMake();
registerComparisons();
registerStrings();
registerConcat();
registerCatalogFunctions();
