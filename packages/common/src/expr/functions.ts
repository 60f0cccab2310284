import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { ALL_DATA_TYPES, type DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Decimal } from '../types/decimal.ts';
import { Interval, MICROS_PER_DAY } from '../types/interval.ts';
import { canCast } from '../types/cast.ts';
import { compareDatum } from '../types/compare.ts';
import { formatDatum } from '../types/format.ts';
import { splitTimestamp, timestampAddInterval } from '../types/datetime.ts';

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

/** An argument type during binding: 'unknown' is an untyped string literal. */
export type ArgType = DataType | 'unknown';

export interface FunctionImpl {
  /** NULL in any argument gives NULL without calling `eval`. */
  readonly strict: boolean;
  /** Evaluates one row. `args` is a scratch array reused across rows: do not keep it. */
  readonly eval: (args: Datum[]) => Datum;
}

interface Overload {
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

const REGISTRY = new Map<string, Overload[]>();

function register(name: string | string[], ov: Overload): void {
  for (const n of Array.isArray(name) ? name : [name]) {
    let list = REGISTRY.get(n);
    if (list === undefined) REGISTRY.set(n, (list = []));
    list.push(ov);
  }
}

function strict(fn: (args: Datum[]) => Datum): FunctionImpl {
  return { strict: true, eval: fn };
}

function lenient(fn: (args: Datum[]) => Datum): FunctionImpl {
  return { strict: false, eval: fn };
}

// ---------------------------------------------------------------------------------------------
// Errors.

const OPERATOR_SYMBOLS: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', neg: '-', '=': '=', '<>': '<>', '<': '<',
  '<=': '<=', '>': '>', '>=': '>=', '||': '||', like: '~~', not_like: '!~~', ilike: '~~*',
  not_ilike: '!~~*', and: 'AND', or: 'OR', not: 'NOT',
};

function noSuchFunction(func: string, argTypes: readonly ArgType[]): DbError {
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

function floatOverflow(): DbError {
  return new DbError(SqlState.NumericValueOutOfRange, 'value out of range: overflow');
}

// ---------------------------------------------------------------------------------------------
// Resolution.

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
  throw noSuchFunction(func, argTypes);
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

// ---------------------------------------------------------------------------------------------
// Arithmetic.

type NumType = 'smallint' | 'integer' | 'bigint' | 'numeric' | 'real' | 'double precision';
const NUM_TYPES: readonly NumType[] = ['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision'];

function checkInt(type: 'smallint' | 'integer', v: number): number {
  if (type === 'integer' ? v > 2147483647 || v < -2147483648 : v > 32767 || v < -32768) throw intOutOfRange(type);
  return v;
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function checkI64(v: bigint): bigint {
  if (v > I64_MAX || v < I64_MIN) throw intOutOfRange('bigint');
  return v;
}

function checkFloat(type: 'real' | 'double precision', v: number, a: number, b: number): number {
  if (type === 'real') v = Math.fround(v);
  if (!Number.isFinite(v) && Number.isFinite(a) && Number.isFinite(b) && !Number.isNaN(v)) throw floatOverflow();
  return v;
}

type BinOp = '+' | '-' | '*' | '/' | '%';

function numericBinary(op: BinOp, t: NumType): ((args: Datum[]) => Datum) | null {
  switch (t) {
    case 'smallint':
    case 'integer':
      return (a) => {
        const x = a[0] as number;
        const y = a[1] as number;
        switch (op) {
          case '+': return checkInt(t, x + y);
          case '-': return checkInt(t, x - y);
          case '*': return checkInt(t, x * y);
          case '/':
            if (y === 0) throw divisionByZero();
            return checkInt(t, Math.trunc(x / y));
          case '%':
            if (y === 0) throw divisionByZero();
            return (x % y) | 0;
        }
      };
    case 'bigint':
      return (a) => {
        const x = a[0] as bigint;
        const y = a[1] as bigint;
        switch (op) {
          case '+': return checkI64(x + y);
          case '-': return checkI64(x - y);
          case '*': return checkI64(x * y);
          case '/':
            if (y === 0n) throw divisionByZero();
            return checkI64(x / y);
          case '%':
            if (y === 0n) throw divisionByZero();
            return x % y;
        }
      };
    case 'numeric':
      return (a) => {
        const x = a[0] as Decimal;
        const y = a[1] as Decimal;
        switch (op) {
          case '+': return x.add(y);
          case '-': return x.sub(y);
          case '*': return x.mul(y);
          case '/': return x.div(y);
          case '%': return x.mod(y);
        }
      };
    case 'real':
    case 'double precision':
      if (op === '%') return null;
      return (a) => {
        const x = a[0] as number;
        const y = a[1] as number;
        switch (op) {
          case '+': return checkFloat(t, x + y, x, y);
          case '-': return checkFloat(t, x - y, x, y);
          case '*': return checkFloat(t, x * y, x, y);
          default:
            if (y === 0) throw divisionByZero();
            return checkFloat(t, x / y, x, y);
        }
      };
  }
}

function registerArithmetic(): void {
  for (const op of ['+', '-', '*', '/', '%'] as const) {
    for (const t of NUM_TYPES) {
      const fn = numericBinary(op, t);
      if (fn !== null) register(op, { args: [t, t], ret: t, impl: strict(fn) });
    }
    if (op === '%') continue;
    // float48 / float84 operators: a real mixed with a double (or anything cast to one) computes in double.
    const f8 = numericBinary(op, 'double precision')!;
    const cast: DataType[] = ['double precision', 'double precision'];
    register(op, { args: ['real', 'double precision'], castTo: cast, ret: 'double precision', impl: strict(f8) });
    register(op, { args: ['double precision', 'real'], castTo: cast, ret: 'double precision', impl: strict(f8) });
  }
  register('mod', { args: ['smallint', 'smallint'], ret: 'smallint', impl: strict(numericBinary('%', 'smallint')!) });
  register('mod', { args: ['integer', 'integer'], ret: 'integer', impl: strict(numericBinary('%', 'integer')!) });
  register('mod', { args: ['bigint', 'bigint'], ret: 'bigint', impl: strict(numericBinary('%', 'bigint')!) });
  register('mod', { args: ['numeric', 'numeric'], ret: 'numeric', impl: strict(numericBinary('%', 'numeric')!) });

  register('neg', { args: ['smallint'], ret: 'smallint', impl: strict((a) => checkInt('smallint', -(a[0] as number) | 0)) });
  register('neg', { args: ['integer'], ret: 'integer', impl: strict((a) => checkInt('integer', 0 - (a[0] as number))) });
  register('neg', { args: ['bigint'], ret: 'bigint', impl: strict((a) => checkI64(-(a[0] as bigint))) });
  register('neg', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).neg()) });
  register('neg', { args: ['real'], ret: 'real', impl: strict((a) => -(a[0] as number)) });
  register('neg', { args: ['double precision'], ret: 'double precision', impl: strict((a) => -(a[0] as number)) });
  register('neg', { args: ['interval'], ret: 'interval', impl: strict((a) => (a[0] as Interval).neg()) });

  register('abs', { args: ['smallint'], ret: 'smallint', impl: strict((a) => checkInt('smallint', Math.abs(a[0] as number))) });
  register('abs', { args: ['integer'], ret: 'integer', impl: strict((a) => checkInt('integer', Math.abs(a[0] as number))) });
  register('abs', { args: ['bigint'], ret: 'bigint', impl: strict((a) => checkI64((a[0] as bigint) < 0n ? -(a[0] as bigint) : (a[0] as bigint))) });
  register('abs', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).abs()) });
  register('abs', { args: ['real'], ret: 'real', impl: strict((a) => Math.abs(a[0] as number)) });
  register('abs', { args: ['double precision'], ret: 'double precision', impl: strict((a) => Math.abs(a[0] as number)) });
}

/** Round half to even for float8 (C rint), half away from zero for numeric, like PG. */
function rint(x: number): number {
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

function registerRounding(): void {
  const f8: DataType = 'double precision';
  register('round', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).round(0)) });
  register('round', { args: [f8], ret: f8, impl: strict((a) => rint(a[0] as number)) });
  register('round', { args: ['numeric', 'integer'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).round(a[1] as number)) });
  register('trunc', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).trunc(0)) });
  register('trunc', { args: [f8], ret: f8, impl: strict((a) => Math.trunc(a[0] as number)) });
  register('trunc', { args: ['numeric', 'integer'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).trunc(a[1] as number)) });
  for (const name of ['ceil', 'ceiling']) {
    register(name, { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).ceil()) });
    register(name, { args: [f8], ret: f8, impl: strict((a) => Math.ceil(a[0] as number)) });
  }
  register('floor', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).floor()) });
  register('floor', { args: [f8], ret: f8, impl: strict((a) => Math.floor(a[0] as number)) });
}

// ---------------------------------------------------------------------------------------------
// Date/time arithmetic.

const TS: DataType = 'timestamp without time zone';
const TSTZ: DataType = 'timestamp with time zone';

function dateOutOfRange(): DbError {
  return new DbError(SqlState.DatetimeFieldOverflow, 'date out of range');
}

function tsMinusTs(a: bigint, b: bigint): Interval {
  const diff = a - b;
  return new Interval(0, Number(diff / MICROS_PER_DAY), diff % MICROS_PER_DAY);
}

function intervalDiv(iv: Interval, f: number): Interval {
  if (f === 0) throw divisionByZero();
  const m = iv.months / f;
  const months = Math.trunc(m);
  const d = iv.days / f + (m - months) * 30;
  const days = Math.trunc(d);
  return new Interval(months, days, BigInt(Math.round(Number(iv.micros) / f + (d - days) * 86_400_000_000)));
}

function registerDateTime(): void {
  const addDays = (a: Datum[], sign: number): Datum => {
    const r = (a[0] as number) + sign * (a[1] as number);
    if (r > 2147483646 || r < -2147483647) throw dateOutOfRange();
    return r;
  };
  register('+', { args: ['date', 'integer'], ret: 'date', impl: strict((a) => addDays(a, 1)) });
  register('+', { args: ['integer', 'date'], ret: 'date', impl: strict((a) => (a[0] as number) + (a[1] as number)) });
  register('-', { args: ['date', 'integer'], ret: 'date', impl: strict((a) => addDays(a, -1)) });
  register('-', { args: ['date', 'date'], ret: 'integer', impl: strict((a) => (a[0] as number) - (a[1] as number)) });
  register('+', { args: ['date', 'time without time zone'], ret: TS, impl: strict((a) => BigInt(a[0] as number) * MICROS_PER_DAY + (a[1] as bigint)) });
  for (const t of [TS, TSTZ]) {
    const plus = strict((a) => {
      const iv = a[1] as Interval;
      return timestampAddInterval(a[0] as bigint, iv.months, iv.days, iv.micros);
    });
    register('+', { args: [t, 'interval'], ret: t, impl: plus });
    register('+', { args: ['interval', t], castTo: ['interval', t], ret: t, impl: strict((a) => {
      const iv = a[0] as Interval;
      return timestampAddInterval(a[1] as bigint, iv.months, iv.days, iv.micros);
    }) });
    register('-', { args: [t, 'interval'], ret: t, impl: strict((a) => {
      const iv = a[1] as Interval;
      return timestampAddInterval(a[0] as bigint, -iv.months, -iv.days, -iv.micros);
    }) });
    register('-', { args: [t, t], ret: 'interval', impl: strict((a) => tsMinusTs(a[0] as bigint, a[1] as bigint)) });
  }
  const timeWrap = (v: bigint): bigint => ((v % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
  register('+', { args: ['time without time zone', 'interval'], ret: 'time without time zone', impl: strict((a) => timeWrap((a[0] as bigint) + (a[1] as Interval).micros)) });
  register('-', { args: ['time without time zone', 'interval'], ret: 'time without time zone', impl: strict((a) => timeWrap((a[0] as bigint) - (a[1] as Interval).micros)) });
  register('-', { args: ['time without time zone', 'time without time zone'], ret: 'interval', impl: strict((a) => Interval.fromMicros((a[0] as bigint) - (a[1] as bigint))) });
  register('+', { args: ['interval', 'interval'], ret: 'interval', impl: strict((a) => (a[0] as Interval).add(a[1] as Interval)) });
  register('-', { args: ['interval', 'interval'], ret: 'interval', impl: strict((a) => (a[0] as Interval).sub(a[1] as Interval)) });
  register('*', { args: ['interval', 'double precision'], ret: 'interval', impl: strict((a) => (a[0] as Interval).mulFloat(a[1] as number)) });
  register('*', { args: ['double precision', 'interval'], ret: 'interval', impl: strict((a) => (a[1] as Interval).mulFloat(a[0] as number)) });
  register('/', { args: ['interval', 'double precision'], ret: 'interval', impl: strict((a) => intervalDiv(a[0] as Interval, a[1] as number)) });
  register('date_part_epoch', { args: [TSTZ], ret: 'double precision', impl: strict((a) => Number(a[0] as bigint) / 1e6) });
  void splitTimestamp;
}

// ---------------------------------------------------------------------------------------------
// Comparison, boolean and null tests.

type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

function comparator(op: CmpOp, t: DataType): (a: Datum[]) => Datum {
  switch (op) {
    case '=': return (a) => compareDatum(t, a[0], a[1]) === 0;
    case '<>': return (a) => compareDatum(t, a[0], a[1]) !== 0;
    case '<': return (a) => compareDatum(t, a[0], a[1]) < 0;
    case '<=': return (a) => compareDatum(t, a[0], a[1]) <= 0;
    case '>': return (a) => compareDatum(t, a[0], a[1]) > 0;
    case '>=': return (a) => compareDatum(t, a[0], a[1]) >= 0;
  }
}

function registerComparisons(): void {
  const f8: DataType = 'double precision';
  for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) {
    for (const t of ALL_DATA_TYPES) register(op, { args: [t, t], ret: 'boolean', impl: strict(comparator(op, t)) });
    const cmp8 = strict(comparator(op, f8));
    register(op, { args: ['real', f8], castTo: [f8, f8], ret: 'boolean', impl: cmp8 });
    register(op, { args: [f8, 'real'], castTo: [f8, f8], ret: 'boolean', impl: cmp8 });
  }
  for (const t of ALL_DATA_TYPES) {
    register('is_distinct_from', { args: [t, t], ret: 'boolean', impl: lenient((a) =>
      a[0] === null || a[1] === null ? a[0] !== a[1] : compareDatum(t, a[0], a[1]) !== 0) });
    register('is_not_distinct_from', { args: [t, t], ret: 'boolean', impl: lenient((a) =>
      a[0] === null || a[1] === null ? a[0] === a[1] : compareDatum(t, a[0], a[1]) === 0) });
    register('is_null', { args: [t], ret: 'boolean', impl: lenient((a) => a[0] === null) });
    register('is_not_null', { args: [t], ret: 'boolean', impl: lenient((a) => a[0] !== null) });
    register('coalesce', { args: [t], variadic: true, ret: t, impl: lenient((a) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== null) return a[i];
      return null;
    }) });
    register('nullif', { args: [t, t], ret: t, impl: lenient((a) =>
      a[0] !== null && a[1] !== null && compareDatum(t, a[0], a[1]) === 0 ? null : a[0]) });
    register('greatest', { args: [t], variadic: true, ret: t, impl: lenient((a) => extreme(t, a, 1)) });
    register('least', { args: [t], variadic: true, ret: t, impl: lenient((a) => extreme(t, a, -1)) });
    // in(x, v1, v2, ...): three-valued like x = v1 OR x = v2 ...
    register('in', { args: [t], variadic: true, ret: 'boolean', impl: lenient((a) => {
      if (a[0] === null) return null;
      let sawNull = false;
      for (let i = 1; i < a.length; i++) {
        if (a[i] === null) sawNull = true;
        else if (compareDatum(t, a[0], a[i]) === 0) return true;
      }
      return sawNull ? null : false;
    }) });
  }
  const b: DataType = 'boolean';
  register('and', { args: [b], variadic: true, ret: b, impl: lenient((a) => {
    let sawNull = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === false) return false;
      if (a[i] === null) sawNull = true;
    }
    return sawNull ? null : true;
  }) });
  register('or', { args: [b], variadic: true, ret: b, impl: lenient((a) => {
    let sawNull = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === true) return true;
      if (a[i] === null) sawNull = true;
    }
    return sawNull ? null : false;
  }) });
  register('not', { args: [b], ret: b, impl: strict((a) => !a[0]) });
  register('is_true', { args: [b], ret: b, impl: lenient((a) => a[0] === true) });
  register('is_not_true', { args: [b], ret: b, impl: lenient((a) => a[0] !== true) });
  register('is_false', { args: [b], ret: b, impl: lenient((a) => a[0] === false) });
  register('is_not_false', { args: [b], ret: b, impl: lenient((a) => a[0] !== false) });
  register('is_unknown', { args: [b], ret: b, impl: lenient((a) => a[0] === null) });
  register('is_not_unknown', { args: [b], ret: b, impl: lenient((a) => a[0] !== null) });
}

/** greatest/least: NULLs ignored, NULL only when all are NULL. */
function extreme(t: DataType, a: Datum[], sign: number): Datum {
  let best: Datum = null;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === null) continue;
    if (best === null || compareDatum(t, a[i], best) * sign > 0) best = a[i];
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Strings.

const VARCHAR: DataType = 'character varying';

/** Code points of `s` (PG counts characters, not UTF-16 units). */
function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** PG substr(s, start [, count]) with 1-based code point positions. */
function substr(s: string, start: number, count: number | null): string {
  if (count !== null && count < 0) throw new DbError(SqlState.InvalidParameterValue, 'negative substring length not allowed');
  const chars = Array.from(s);
  const from = Math.max(start, 1);
  const end = count === null ? chars.length + 1 : start + count;
  if (end <= from) return '';
  return chars.slice(from - 1, end - 1).join('');
}

/** Compiles a LIKE pattern (backslash escape) to an anchored RegExp. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      if (i >= pattern.length) {
        throw new DbError(SqlState.InvalidParameterValue, 'LIKE pattern must not end with escape character');
      }
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', caseInsensitive ? 'sui' : 'su');
}

/** A LIKE matcher caching the compiled pattern (patterns are usually constant). */
function likeImpl(caseInsensitive: boolean, negate: boolean): FunctionImpl {
  let lastPattern: string | null = null;
  let lastRe: RegExp = /^$/;
  return strict((a) => {
    const p = a[1] as string;
    if (p !== lastPattern) {
      lastRe = likeToRegExp(p, caseInsensitive);
      lastPattern = p;
    }
    return lastRe.test(a[0] as string) !== negate;
  });
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(chars));
  const cs = Array.from(s);
  let i = 0;
  let j = cs.length;
  if (left) while (i < j && set.has(cs[i])) i++;
  if (right) while (j > i && set.has(cs[j - 1])) j--;
  return cs.slice(i, j).join('');
}

function registerStrings(): void {
  const v = VARCHAR;
  register('upper', { args: [v], ret: v, impl: strict((a) => (a[0] as string).toUpperCase()) });
  register('lower', { args: [v], ret: v, impl: strict((a) => (a[0] as string).toLowerCase()) });
  register(['length', 'char_length', 'character_length'], { args: [v], ret: 'integer', impl: strict((a) => charLength(a[0] as string)) });
  register('length', { args: ['bytea'], ret: 'integer', impl: strict((a) => (a[0] as Uint8Array).length) });
  register('octet_length', { args: [v], ret: 'integer', impl: strict((a) => Buffer.byteLength(a[0] as string)) });
  register(['substr', 'substring'], { args: [v, 'integer'], ret: v, impl: strict((a) => substr(a[0] as string, a[1] as number, null)) });
  register(['substr', 'substring'], { args: [v, 'integer', 'integer'], ret: v, impl: strict((a) => substr(a[0] as string, a[1] as number, a[2] as number)) });
  register('replace', { args: [v, v, v], ret: v, impl: strict((a) =>
    (a[1] as string) === '' ? a[0] : (a[0] as string).split(a[1] as string).join(a[2] as string)) });
  register(['strpos', 'position'], { args: [v, v], ret: 'integer', impl: strict((a) => {
    const i = (a[0] as string).indexOf(a[1] as string);
    return i < 0 ? 0 : charLength((a[0] as string).slice(0, i)) + 1;
  }) });
  register('starts_with', { args: [v, v], ret: 'boolean', impl: strict((a) => (a[0] as string).startsWith(a[1] as string)) });
  for (const [name, l, r] of [['btrim', true, true], ['trim', true, true], ['ltrim', true, false], ['rtrim', false, true]] as const) {
    register(name, { args: [v], ret: v, impl: strict((a) => trimChars(a[0] as string, ' ', l, r)) });
    register(name, { args: [v, v], ret: v, impl: strict((a) => trimChars(a[0] as string, a[1] as string, l, r)) });
  }
  register('like', { args: [v, v], ret: 'boolean', impl: likeImpl(false, false) });
  register('not_like', { args: [v, v], ret: 'boolean', impl: likeImpl(false, true) });
  register('ilike', { args: [v, v], ret: 'boolean', impl: likeImpl(true, false) });
  register('not_ilike', { args: [v, v], ret: 'boolean', impl: likeImpl(true, true) });

  // || : text || text, and text || anything-else via the other side's output function.
  register('||', { args: [v, v], ret: v, impl: strict((a) => (a[0] as string) + (a[1] as string)) });
  for (const t of ALL_DATA_TYPES) {
    if (t === v) continue;
    register('||', { args: [v, t], ret: v, impl: strict((a) => (a[0] as string) + formatDatum(t, a[1])) });
    register('||', { args: [t, v], ret: v, impl: strict((a) => formatDatum(t, a[0]) + (a[1] as string)) });
  }
  register('||', { args: ['bytea', 'bytea'], ret: 'bytea', impl: strict((a) => {
    const x = a[0] as Uint8Array;
    const y = a[1] as Uint8Array;
    const out = new Uint8Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  }) });
}

/**
 * concat(any...): NULLs are skipped. `resolveCall` has the binder cast every argument to varchar
 * (so a boolean prints 'true' where PG's concat prints 't').
 */
function registerConcat(): void {
  register('concat', { args: [VARCHAR], variadic: true, ret: VARCHAR, impl: lenient((a) => {
    let s = '';
    for (let i = 0; i < a.length; i++) if (a[i] !== null) s += a[i] as string;
    return s;
  }) });
}

registerArithmetic();
registerRounding();
registerDateTime();
registerComparisons();
registerStrings();
registerConcat();
