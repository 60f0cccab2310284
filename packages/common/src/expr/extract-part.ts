import { Decimal } from '../types/decimal.ts';
import type { Datum } from '../types/datum.ts';
import { fieldsOfDays, fieldsOfTimestamp, isoWeek, isoYear, julianDay, julianWeekday, UNIX_EPOCH_JDATE, type CalendarFields } from '../types/calendar-fields.ts';
import { DATE_NEG_INFINITY, DATE_POS_INFINITY, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from '../types/datetime.ts';
import type { Interval } from '../types/interval.ts';
import { currentTimeZone, zoneOffsetSeconds } from '../types/time-zone.ts';
import { decodeUnit, unitNotRecognized, unitNotSupported, type DateTimeUnit } from './datetime-unit.ts';

/**
 * EXTRACT (numeric result) and date_part (double precision result) of timestamp, timestamptz,
 * date, time and interval: PostgreSQL 15's timestamp_part_common, extract_date, time_part_common
 * and interval_part_common, field by field.
 *
 * 1. The field is decoded (datetime-unit.ts); an unknown name is 22023 "not recognized", a known
 *    one this type lacks is 0A000 "not supported", with PG's type name.
 * 2. Each branch yields a `Part`: an integer, a scaled integer with its float twin (seconds with
 *    µs: EXTRACT keeps PG's fixed display scale `5.000000`, date_part computes the double the
 *    way PG does so the last bit agrees), ±Infinity, or NULL (an oscillating field of infinity).
 * 3. timestamptz fields are those of the local time in the session TimeZone.
 */
type Part = bigint | { num: bigint; scale: number; float: number } | { decimal: Decimal; float: number } | number | null;

const TS = 'timestamp without time zone';
const TSTZ = 'timestamp with time zone';

function toDatum(p: Part, numeric: boolean): Datum {
  if (p === null) return null;
  if (typeof p === 'bigint') return numeric ? Decimal.fromBigInt(p) : Number(p);
  if (typeof p === 'number') return numeric ? (p > 0 ? Decimal.INFINITY : Decimal.NEG_INFINITY) : p;
  if ('decimal' in p) return numeric ? p.decimal : p.float;
  return numeric ? Decimal.of(p.num, p.scale) : p.float;
}

/** tm_sec * 1e6 + fsec at scale 3 (milliseconds) or 6 (seconds), PG's float formulas alongside. */
function secondsPart(sec: number, fsec: number, unit: 'milliseconds' | 'second'): Part {
  const num = BigInt(sec) * 1_000_000n + BigInt(fsec);
  return unit === 'second'
    ? { num, scale: 6, float: sec + fsec / 1_000_000 }
    : { num, scale: 3, float: sec * 1000 + fsec / 1000 };
}

/** C integer division (truncates toward zero). */
function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** Fields shared by timestamps and dates, from the astronomical year and the date. */
function dateFieldPart(unit: DateTimeUnit, f: CalendarFields): Part | undefined {
  const y = f.year;
  switch (unit) {
    case 'day': return BigInt(f.day);
    case 'month': return BigInt(f.month);
    case 'quarter': return BigInt(cdiv(f.month - 1, 3) + 1);
    case 'week': return BigInt(isoWeek(y, f.month, f.day));
    case 'year': return BigInt(y > 0 ? y : y - 1);
    case 'decade': return BigInt(y >= 0 ? cdiv(y, 10) : -cdiv(8 - (y - 1), 10));
    case 'century': return BigInt(y > 0 ? cdiv(y + 99, 100) : -cdiv(99 - (y - 1), 100));
    case 'millennium': return BigInt(y > 0 ? cdiv(y + 999, 1000) : -cdiv(999 - (y - 1), 1000));
    case 'isoyear': {
      const iy = isoYear(y, f.month, f.day);
      return BigInt(iy <= 0 ? iy - 1 : iy);
    }
    case 'dow': return BigInt(f.wday);
    case 'isodow': return BigInt(f.wday === 0 ? 7 : f.wday);
    case 'doy': return BigInt(f.yday);
    default: return undefined;
  }
}

/** NonFiniteTimestampTzPart: oscillating fields NULL, monotonic ones ±Infinity. */
function nonFinitePart(unit: DateTimeUnit | null, negative: boolean): Part | undefined {
  switch (unit) {
    case 'year': case 'decade': case 'century': case 'millennium': case 'julian': case 'isoyear': case 'epoch':
      return negative ? -Infinity : Infinity;
    case null: case 'dow': case 'isodow': case 'doy': case 'timezone': case 'timezone_hour': case 'timezone_minute':
    case 'microseconds': case 'milliseconds': case 'second': case 'minute': case 'hour': case 'day':
    case 'month': case 'quarter': case 'week':
      return unit === null ? undefined : null;
  }
}

/** EXTRACT / date_part of a timestamp (`withZone`: timestamptz, fields in the session zone). */
export function extractTimestamp(field: string, ts: bigint, withZone: boolean, numeric: boolean): Datum {
  const typeName = withZone ? TSTZ : TS;
  const u = decodeUnit(field, true);
  if (u.kind === 'unknown') throw unitNotRecognized(u.text, typeName);
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) {
    const p = nonFinitePart(u.unit, ts === TIMESTAMP_NEG_INFINITY);
    if (p === undefined) throw unitNotSupported(u.text, typeName);
    return toDatum(p, numeric);
  }
  if (u.kind === 'reserved') {
    if (u.unit !== 'epoch') throw unitNotSupported(u.text, typeName);
    return toDatum({ num: ts, scale: 6, float: Number(ts) / 1_000_000 }, numeric);
  }
  const offset = withZone ? zoneOffsetSeconds(currentTimeZone(), ts) : 0;
  const f = fieldsOfTimestamp(ts + BigInt(offset) * 1_000_000n);
  const p = timestampFieldPart(u.unit!, f, withZone ? offset : null);
  if (p === undefined) throw unitNotSupported(u.text, typeName);
  return toDatum(p, numeric);
}

function timestampFieldPart(unit: DateTimeUnit, f: CalendarFields, offset: number | null): Part | undefined {
  switch (unit) {
    case 'microseconds': return BigInt(f.second) * 1_000_000n + BigInt(f.fsec);
    case 'milliseconds': case 'second': return secondsPart(f.second, f.fsec, unit);
    case 'minute': return BigInt(f.minute);
    case 'hour': return BigInt(f.hour);
    case 'julian': {
      const j = julianDay(f.year, f.month, f.day);
      const secs = (f.hour * 60 + f.minute) * 60 + f.second;
      const dayMicros = Decimal.fromBigInt(BigInt(secs) * 1_000_000n + BigInt(f.fsec));
      return {
        decimal: Decimal.fromBigInt(BigInt(j)).add(dayMicros.div(Decimal.fromBigInt(86_400_000_000n))),
        float: j + (secs + f.fsec / 1_000_000) / 86_400,
      };
    }
    case 'timezone': return offset === null ? undefined : BigInt(offset);
    case 'timezone_hour': return offset === null ? undefined : BigInt(cdiv(offset, 3600));
    case 'timezone_minute': return offset === null ? undefined : BigInt(cdiv(offset, 60) % 60);
    default: return dateFieldPart(unit, f);
  }
}

/** EXTRACT of a date (PG extract_date): only date fields; epoch and julian are integers. */
export function extractDate(field: string, days: number, numeric: boolean): Datum {
  const u = decodeUnit(field, true);
  if (u.kind === 'unknown') throw unitNotRecognized(u.text, 'date');
  if (days === DATE_POS_INFINITY || days === DATE_NEG_INFINITY) {
    const p = nonFinitePart(u.unit, days === DATE_NEG_INFINITY);
    const dateField = u.unit !== null && ['year', 'decade', 'century', 'millennium', 'julian', 'isoyear', 'epoch',
      'day', 'month', 'quarter', 'week', 'dow', 'isodow', 'doy'].includes(u.unit);
    if (p === undefined || !dateField) throw unitNotSupported(u.text, 'date');
    return toDatum(p, numeric);
  }
  let p: Part | undefined;
  if (u.kind === 'reserved') p = u.unit === 'epoch' ? BigInt(days) * 86_400n : undefined;
  else if (u.unit === 'julian') p = BigInt(days + UNIX_EPOCH_JDATE);
  else p = dateFieldPart(u.unit!, fieldsOfDays(days, 0n));
  if (p === undefined) throw unitNotSupported(u.text, 'date');
  return toDatum(p, numeric);
}

/** EXTRACT / date_part of a time of day (PG time_part_common). */
export function extractTime(field: string, micros: bigint, numeric: boolean): Datum {
  const typeName = 'time without time zone';
  const u = decodeUnit(field, true);
  if (u.kind === 'reserved' && u.unit === 'epoch') {
    return toDatum({ num: micros, scale: 6, float: Number(micros) / 1_000_000 }, numeric);
  }
  if (u.kind !== 'units') throw unitNotRecognized(u.text, typeName);
  const sec = Number((micros / 1_000_000n) % 60n);
  const fsec = Number(micros % 1_000_000n);
  switch (u.unit) {
    case 'microseconds': return toDatum(BigInt(sec) * 1_000_000n + BigInt(fsec), numeric);
    case 'milliseconds': case 'second': return toDatum(secondsPart(sec, fsec, u.unit), numeric);
    case 'minute': return toDatum((micros / 60_000_000n) % 60n, numeric);
    case 'hour': return toDatum(micros / 3_600_000_000n, numeric);
    default: throw unitNotSupported(u.text, typeName);
  }
}

/** EXTRACT / date_part of an interval (PG interval_part_common; fields truncate toward zero). */
export function extractInterval(field: string, iv: Interval, numeric: boolean): Datum {
  const u = decodeUnit(field, true);
  if (u.kind === 'reserved' && u.unit === 'epoch') return toDatum(intervalEpoch(iv), numeric);
  if (u.kind !== 'units') throw unitNotRecognized(u.text, 'interval');
  const years = cdiv(iv.months, 12);
  const mons = iv.months % 12;
  const t = iv.micros;
  const secsTotal = t / 1_000_000n;
  let p: Part;
  switch (u.unit) {
    case 'microseconds': p = (secsTotal % 60n) * 1_000_000n + (t % 1_000_000n); break;
    case 'milliseconds': case 'second': p = secondsPart(Number(secsTotal % 60n), Number(t % 1_000_000n), u.unit); break;
    case 'minute': p = (secsTotal / 60n) % 60n; break;
    case 'hour': p = secsTotal / 3600n; break;
    case 'day': p = BigInt(iv.days); break;
    case 'month': p = BigInt(mons); break;
    case 'quarter': p = BigInt(cdiv(mons, 3) + 1); break;
    case 'year': p = BigInt(years); break;
    case 'decade': p = BigInt(cdiv(years, 10)); break;
    case 'century': p = BigInt(cdiv(years, 100)); break;
    case 'millennium': p = BigInt(cdiv(years, 1000)); break;
    default: throw unitNotSupported(u.text, 'interval');
  }
  return toDatum(p, numeric);
}

/** Seconds of an interval with 365.25-day years and 30-day months (PG's epoch of an interval). */
function intervalEpoch(iv: Interval): Part {
  const years = cdiv(iv.months, 12);
  const mons = iv.months % 12;
  const secsFromDayMonths = (1461n * BigInt(years) + 120n * BigInt(mons) + 4n * BigInt(iv.days)) * 21_600n;
  let float = Number(iv.micros) / 1_000_000;
  float += 365.25 * 86_400 * years;
  float += 30 * 86_400 * mons;
  float += 86_400 * iv.days;
  return { num: secsFromDayMonths * 1_000_000n + iv.micros, scale: 6, float };
}
