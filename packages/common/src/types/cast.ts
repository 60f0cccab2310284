import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import { Decimal } from './decimal.ts';
import { Interval, MICROS_PER_DAY } from './interval.ts';
import { formatDatum } from './format.ts';
import { parseDatum } from './parse.ts';
import { currentTimeZone, localToUtc, zoneOffsetSeconds } from './time-zone.ts';
import {
  DATE_NEG_INFINITY, DATE_POS_INFINITY, splitTimestamp, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY,
} from './datetime.ts';

export type CastContext = 'implicit' | 'assignment' | 'explicit';

type CastTable = Partial<Record<DataType, readonly DataType[]>>;

/** pg_cast entries with castcontext 'i'. */
const IMPLICIT: CastTable = {
  smallint: ['integer', 'bigint', 'numeric', 'real', 'double precision'],
  integer: ['bigint', 'numeric', 'real', 'double precision'],
  bigint: ['numeric', 'real', 'double precision'],
  numeric: ['real', 'double precision'],
  real: ['double precision'],
  date: ['timestamp without time zone', 'timestamp with time zone'],
  'timestamp without time zone': ['timestamp with time zone'],
  'time without time zone': ['interval'],
};

/** pg_cast entries with castcontext 'a' (plus anything -> varchar, PG's I/O conversion to text). */
const ASSIGNMENT: CastTable = {
  integer: ['smallint'],
  bigint: ['smallint', 'integer'],
  numeric: ['smallint', 'integer', 'bigint'],
  real: ['smallint', 'integer', 'bigint', 'numeric'],
  'double precision': ['smallint', 'integer', 'bigint', 'numeric', 'real'],
  'timestamp with time zone': ['timestamp without time zone', 'date', 'time without time zone'],
  'timestamp without time zone': ['date', 'time without time zone'],
  interval: ['time without time zone'],
};

/** pg_cast entries with castcontext 'e' (plus varchar -> anything via I/O conversion). */
const EXPLICIT: CastTable = {
  boolean: ['integer'],
  integer: ['boolean'],
  jsonb: ['boolean', 'numeric', 'smallint', 'integer', 'bigint', 'real', 'double precision'],
};

function inTable(t: CastTable, from: DataType, to: DataType): boolean {
  return t[from]?.includes(to) ?? false;
}

/** Whether PG allows a cast from `from` to `to` in `context`. */
export function canCast(from: DataType, to: DataType, context: CastContext): boolean {
  if (from === to) return true;
  if (inTable(IMPLICIT, from, to)) return true;
  if (context === 'implicit') return false;
  if (inTable(ASSIGNMENT, from, to) || to === 'character varying') return true;
  if (context === 'assignment') return false;
  return inTable(EXPLICIT, from, to) || from === 'character varying';
}

function outOfRange(typeName: string): DbError {
  return new DbError(SqlState.NumericValueOutOfRange, `${typeName} out of range`);
}

/** Round half to even, like C rint() in the default rounding mode. */
export function rint(x: number): number {
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

const INT_RANGE = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
} as const;

type IntType = keyof typeof INT_RANGE;

function toIntegerBig(from: DataType, to: IntType, d: Datum): bigint {
  switch (from) {
    case 'smallint':
    case 'integer':
      return BigInt(d as number);
    case 'bigint':
      return d as bigint;
    case 'real':
    case 'double precision': {
      const v = rint(d as number);
      // Bounds as PG's FLOATn_FITS_IN_INTm; NaN fails both comparisons.
      if (!(v >= Number(INT_RANGE[to][0]) && v < -Number(INT_RANGE[to][0]))) throw outOfRange(to);
      return BigInt(v);
    }
    case 'numeric': {
      const dec = d as Decimal;
      if (dec.kind === 'nan') throw new DbError(SqlState.FeatureNotSupported, `cannot convert NaN to ${to}`);
      if (!dec.isFinite()) throw new DbError(SqlState.FeatureNotSupported, `cannot convert infinity to ${to}`);
      return dec.toBigIntRound();
    }
    case 'boolean':
      return d ? 1n : 0n;
    case 'jsonb':
      return toIntegerBig('numeric', to, jsonbScalar(d as string, 'numeric', to));
    default:
      throw cannotCast(from, to);
  }
}

function toInteger(from: DataType, to: IntType, d: Datum): Datum {
  const v = toIntegerBig(from, to, d);
  const [min, max] = INT_RANGE[to];
  if (v < min || v > max) throw outOfRange(to);
  return to === 'bigint' ? v : Number(v);
}

function toFloat8(from: DataType, d: Datum): number {
  switch (from) {
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double precision':
      return d as number;
    case 'bigint':
      return Number(d as bigint);
    case 'numeric':
      return (d as Decimal).toNumber();
    case 'jsonb':
      return (jsonbScalar(d as string, 'numeric', 'double precision') as Decimal).toNumber();
    default:
      throw cannotCast(from, 'double precision');
  }
}

function toFloat4(from: DataType, d: Datum): number {
  const v = from === 'jsonb' ? (jsonbScalar(d as string, 'numeric', 'real') as Decimal).toNumber() : toFloat8(from, d);
  const f = Math.fround(v);
  if (!Number.isFinite(f) && Number.isFinite(v)) throw new DbError(SqlState.NumericValueOutOfRange, 'value out of range: overflow');
  if (f === 0 && v !== 0 && (from === 'double precision' || from === 'numeric')) {
    throw new DbError(SqlState.NumericValueOutOfRange, 'value out of range: underflow');
  }
  return f;
}

function toNumeric(from: DataType, d: Datum): Decimal {
  switch (from) {
    case 'smallint':
    case 'integer':
      return Decimal.fromBigInt(BigInt(d as number));
    case 'bigint':
      return Decimal.fromBigInt(d as bigint);
    case 'real':
      return Decimal.fromNumber(d as number, 6);
    case 'double precision':
      return Decimal.fromNumber(d as number, 15);
    case 'jsonb':
      return jsonbScalar(d as string, 'numeric', 'numeric') as Decimal;
    default:
      throw cannotCast(from, 'numeric');
  }
}

/** The scalar inside jsonb text, or PG's "cannot cast jsonb string to type numeric" error. */
function jsonbScalar(json: string, want: 'numeric' | 'boolean', target: DataType): Datum {
  const c = json[0];
  const kind = c === '"' ? 'string' : c === '{' ? 'object' : c === '[' ? 'array'
    : json === 'true' || json === 'false' ? 'boolean' : json === 'null' ? 'null' : 'numeric';
  if (kind !== want) {
    throw new DbError(SqlState.InvalidParameterValue, `cannot cast jsonb ${kind} to type ${target}`);
  }
  return want === 'numeric' ? Decimal.parse(json) : json === 'true';
}

function cannotCast(from: DataType, to: DataType): DbError {
  return new DbError(SqlState.CannotCoerce, `cannot cast type ${from} to ${to}`);
}

function timestampToDate(ts: bigint): number {
  if (ts === TIMESTAMP_POS_INFINITY) return DATE_POS_INFINITY;
  if (ts === TIMESTAMP_NEG_INFINITY) return DATE_NEG_INFINITY;
  return splitTimestamp(ts)[0];
}

function dateToTimestamp(days: number): bigint {
  if (days === DATE_POS_INFINITY) return TIMESTAMP_POS_INFINITY;
  if (days === DATE_NEG_INFINITY) return TIMESTAMP_NEG_INFINITY;
  return BigInt(days) * MICROS_PER_DAY;
}

/** A timestamptz as local wall-clock time in the session's zone (infinities stay). */
function tstzToLocal(ts: bigint): bigint {
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return ts;
  return ts + BigInt(zoneOffsetSeconds(currentTimeZone(), ts)) * 1_000_000n;
}

/** A local wall-clock timestamp in the session's zone as a timestamptz (infinities stay). */
function localToTstz(ts: bigint): bigint {
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return ts;
  return localToUtc(currentTimeZone(), ts);
}

function toDateTime(from: DataType, to: DataType, d: Datum): Datum {
  const local = (v: bigint): bigint => (from === 'timestamp with time zone' ? tstzToLocal(v) : v);
  switch (to) {
    case 'date':
      if (from === 'timestamp without time zone' || from === 'timestamp with time zone') return timestampToDate(local(d as bigint));
      break;
    case 'time without time zone':
      if (from === 'timestamp without time zone' || from === 'timestamp with time zone') return splitTimestamp(local(d as bigint))[1];
      if (from === 'interval') {
        const r = (d as Interval).micros % MICROS_PER_DAY;
        return r < 0n ? r + MICROS_PER_DAY : r;
      }
      break;
    case 'timestamp without time zone':
    case 'timestamp with time zone': {
      // timestamp is local wall-clock time, timestamptz an instant: converted in the session's zone.
      const toZoned = to === 'timestamp with time zone';
      if (from === 'date') return toZoned ? localToTstz(dateToTimestamp(d as number)) : dateToTimestamp(d as number);
      if (from === to) return d;
      if (from === 'timestamp without time zone') return localToTstz(d as bigint);
      if (from === 'timestamp with time zone') return tstzToLocal(d as bigint);
      break;
    }
    case 'interval':
      if (from === 'time without time zone') return Interval.fromMicros(d as bigint);
      break;
  }
  throw cannotCast(from, to);
}

/**
 * Converts a datum with PG cast semantics. Does not check `canCast` (callers validate the context
 * at bind time); a conversion with no meaning throws 42846.
 */
export function castDatum(from: DataType, to: DataType, d: Datum): Datum {
  if (d === null || from === to) return d;
  if (to === 'character varying') {
    if (from === 'boolean') return d ? 'true' : 'false';
    return formatDatum(from, d);
  }
  if (from === 'character varying') return parseDatum(to, d as string);
  switch (to) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return toInteger(from, to, d);
    case 'real':
      return toFloat4(from, d);
    case 'double precision':
      return toFloat8(from, d);
    case 'numeric':
      return toNumeric(from, d);
    case 'boolean':
      if (from === 'integer') return d !== 0;
      if (from === 'jsonb') return jsonbScalar(d as string, 'boolean', 'boolean');
      throw cannotCast(from, to);
    case 'jsonb':
    case 'bytea':
      throw cannotCast(from, to);
    default:
      return toDateTime(from, to, d);
  }
}
