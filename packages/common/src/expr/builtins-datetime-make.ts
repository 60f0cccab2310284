import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import type { DataType } from '../types/data-type.ts';
import { daysFromCivil, daysInMonth, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from '../types/datetime.ts';
import { MICROS_PER_DAY } from '../types/interval.ts';
import { currentTimeZone, localToUtc, parseTimeZoneSetting, zoneOffsetSeconds } from '../types/time-zone.ts';
import { register, strict } from './function-registry.ts';
import { timestampAge } from './timestamp-age.ts';

/**
 * make_date, make_timestamp, make_timestamptz, to_timestamp(double precision) and age, with PG
 * 15's checks and messages: a negative year is BC (there is no year 0), seconds are rounded to µs
 * (`59.9999995` rolls over to the next minute), epoch seconds are rounded half-even after moving
 * to PG's 2000-01-01 epoch, as PG does.
 */
const TS: DataType = 'timestamp without time zone';
const TSTZ: DataType = 'timestamp with time zone';

const pad2 = (n: number): string => (n < 0 ? '-' + String(-n).padStart(1, '0') : String(n).padStart(2, '0'));

/** C's `%g` (6 significant digits, trailing zeros dropped). */
function formatG(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = v.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const s = v.toPrecision(6);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Days since 1970 of year/month/day (year < 0 is BC); 22008 as PG's ValidateDate. */
function makeDays(year: number, month: number, day: number): number {
  const astronomical = year < 0 ? year + 1 : year;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(astronomical, month)) {
    throw new DbError(SqlState.DatetimeFieldOverflow, `date field value out of range: ${year}-${pad2(month)}-${pad2(day)}`);
  }
  return daysFromCivil(astronomical, month, day);
}

/** PG rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function makeTimestamp(a: readonly (number | null)[]): bigint {
  const [year, month, day, hour, min, sec] = a as number[];
  const days = makeDays(year, month, day);
  if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || hour > 24 || (hour === 24 && (min > 0 || sec > 0))) {
    const s = formatG(sec);
    throw new DbError(SqlState.DatetimeFieldOverflow, `time field value out of range: ${hour}:${pad2(min)}:${s.length < 2 ? '0' + s : s}`);
  }
  const time = BigInt((hour * 60 + min) * 60) * 1_000_000n + BigInt(rint(sec * 1_000_000));
  return BigInt(days) * MICROS_PER_DAY + time;
}

const UNIX_TO_PG_SECONDS = 946_684_800;
/** Julian 0 (4714-11-24 BC) and 294277-01-01, in seconds from 1970 (PG's float8 range check). */
const MIN_SECONDS = 86_400 * (0 - 2_440_588);
const END_SECONDS = 86_400 * (109_203_528 - 2_440_588);

function toTimestamp(seconds: number): bigint {
  if (Number.isNaN(seconds)) throw new DbError(SqlState.DatetimeFieldOverflow, 'timestamp cannot be NaN');
  if (seconds === Infinity) return TIMESTAMP_POS_INFINITY;
  if (seconds === -Infinity) return TIMESTAMP_NEG_INFINITY;
  if (seconds < MIN_SECONDS || seconds >= END_SECONDS) {
    throw new DbError(SqlState.DatetimeFieldOverflow, `timestamp out of range: "${formatG(seconds)}"`);
  }
  return BigInt(rint((seconds - UNIX_TO_PG_SECONDS) * 1_000_000)) + BigInt(UNIX_TO_PG_SECONDS) * 1_000_000n;
}

function zoneNamed(text: string): ReturnType<typeof currentTimeZone> {
  const zone = parseTimeZoneSetting(text);
  if (zone === null) throw new DbError(SqlState.InvalidParameterValue, `time zone "${text}" not recognized`);
  return zone;
}

const toLocal = (ts: bigint): bigint => {
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return ts;
  return ts + BigInt(zoneOffsetSeconds(currentTimeZone(), ts)) * 1_000_000n;
};

export function registerDateTimeMake(): void {
  const I = 'integer';
  const F = 'double precision';
  register('make_date', { args: [I, I, I], ret: 'date', impl: strict((a) => makeDays(a[0] as number, a[1] as number, a[2] as number)) });
  register('make_timestamp', { args: [I, I, I, I, I, F], ret: TS, impl: strict((a) => makeTimestamp(a as number[])) });
  register('make_timestamptz', { args: [I, I, I, I, I, F], ret: TSTZ, impl: strict((a) => localToUtc(currentTimeZone(), makeTimestamp(a as number[]))) });
  register('make_timestamptz', { args: [I, I, I, I, I, F, 'character varying'], ret: TSTZ, impl: strict((a) => localToUtc(zoneNamed(a[6] as string), makeTimestamp(a.slice(0, 6) as number[]))) });
  register('to_timestamp', { args: [F], ret: TSTZ, impl: strict((a) => toTimestamp(a[0] as number)) });
  register('age', { args: [TS, TS], ret: 'interval', impl: strict((a) => timestampAge(a[0] as bigint, a[1] as bigint)) });
  register('age', { args: [TSTZ, TSTZ], ret: 'interval', impl: strict((a) => {
    const [x, y] = [a[0] as bigint, a[1] as bigint];
    return timestampAge(x, y, toLocal(x), toLocal(y));
  }) });
}
