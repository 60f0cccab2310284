import { fieldsOfTimestamp, isoWeek, isoWeekStart, type CalendarFields } from '../types/calendar-fields.ts';
import { daysFromCivil, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from '../types/datetime.ts';
import { Interval, MICROS_PER_DAY } from '../types/interval.ts';
import { localToUtc, zoneOffsetSeconds, type TimeZone } from '../types/time-zone.ts';
import { decodeUnit, unitNotRecognized, unitNotSupported, type DateTimeUnit } from './datetime-unit.ts';
import { UNIX_EPOCH_JDATE } from '../types/calendar-fields.ts';

/**
 * date_trunc for timestamp, timestamptz and interval: PostgreSQL's timestamp_trunc,
 * timestamptz_trunc_internal and interval_trunc. Only interval units are fields here (no `dow`,
 * `epoch`: 22023); infinities come back unchanged before the field is even looked at.
 *
 * timestamptz truncates the local time in the zone; for day and coarser units the zone offset is
 * looked up again for the truncated local time (so a day starts at its own offset after a DST
 * change), for finer units the original offset is kept (an ambiguous fall-back hour stays on its
 * side), as PG does.
 */

const TS = 'timestamp without time zone';

function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** Truncates broken-down local fields in place (the fall-through switch of PG). */
function truncFields(unit: DateTimeUnit, f: CalendarFields): boolean {
  if (unit === 'week') {
    const woy = isoWeek(f.year, f.month, f.day);
    let year = f.year;
    if (woy >= 52 && f.month === 1) year--;
    if (woy <= 1 && f.month === 12) year++;
    const days = isoWeekStart(year, woy) - UNIX_EPOCH_JDATE;
    const d = fieldsOfTimestamp(BigInt(days) * MICROS_PER_DAY);
    Object.assign(f, { year: d.year, month: d.month, day: d.day, hour: 0, minute: 0, second: 0, fsec: 0 });
    return true;
  }
  const order: DateTimeUnit[] = ['millennium', 'century', 'decade', 'year', 'quarter', 'month', 'day', 'hour', 'minute', 'second', 'milliseconds', 'microseconds'];
  const rank = order.indexOf(unit);
  if (rank < 0) return false;
  const y = f.year;
  if (unit === 'millennium') f.year = y > 0 ? cdiv(y + 999, 1000) * 1000 - 999 : -cdiv(999 - (y - 1), 1000) * 1000 + 1;
  if (unit === 'millennium' || unit === 'century') {
    const y2 = f.year;
    f.year = y2 > 0 ? cdiv(y2 + 99, 100) * 100 - 99 : -cdiv(99 - (y2 - 1), 100) * 100 + 1;
  }
  if (unit === 'decade') f.year = y > 0 ? cdiv(y, 10) * 10 : -cdiv(8 - (y - 1), 10) * 10;
  if (rank <= order.indexOf('year')) f.month = 1;
  if (rank <= order.indexOf('quarter')) f.month = 3 * cdiv(f.month - 1, 3) + 1;
  if (rank <= order.indexOf('month')) f.day = 1;
  if (rank <= order.indexOf('day')) f.hour = 0;
  if (rank <= order.indexOf('hour')) f.minute = 0;
  if (rank <= order.indexOf('minute')) f.second = 0;
  if (rank <= order.indexOf('second')) f.fsec = 0;
  if (unit === 'milliseconds') f.fsec = cdiv(f.fsec, 1000) * 1000;
  return true;
}

function fieldsToTimestamp(f: CalendarFields): bigint {
  const days = daysFromCivil(f.year, f.month, f.day);
  const secs = (f.hour * 60 + f.minute) * 60 + f.second;
  return BigInt(days) * MICROS_PER_DAY + BigInt(secs) * 1_000_000n + BigInt(f.fsec);
}

function truncUnit(field: string, typeName: string): DateTimeUnit {
  const u = decodeUnit(field, false);
  if (u.kind !== 'units' || u.unit === null) throw unitNotRecognized(u.text, typeName);
  return u.unit;
}

/** date_trunc(field, timestamp). */
export function truncTimestamp(field: string, ts: bigint): bigint {
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return ts;
  const unit = truncUnit(field, TS);
  const f = fieldsOfTimestamp(ts);
  if (!truncFields(unit, f)) throw unitNotSupported(field.toLowerCase(), TS);
  return fieldsToTimestamp(f);
}

/** date_trunc(field, timestamptz[, zone]): truncation of the local time in `zone`. */
export function truncTimestampTz(field: string, ts: bigint, zone: TimeZone): bigint {
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return ts;
  const typeName = 'timestamp with time zone';
  const unit = truncUnit(field, typeName);
  const offsetMicros = BigInt(zoneOffsetSeconds(zone, ts)) * 1_000_000n;
  const f = fieldsOfTimestamp(ts + offsetMicros);
  if (!truncFields(unit, f)) throw unitNotSupported(field.toLowerCase(), typeName);
  const local = fieldsToTimestamp(f);
  const redoZone = !['hour', 'minute', 'second', 'milliseconds', 'microseconds'].includes(unit);
  return redoZone ? localToUtc(zone, local) : local - offsetMicros;
}

/** date_trunc(field, interval): years, months, days and the time truncated toward zero. */
export function truncInterval(field: string, iv: Interval): Interval {
  const unit = truncUnit(field, 'interval');
  let year = cdiv(iv.months, 12);
  let mon = iv.months % 12;
  let days = iv.days;
  const t = iv.micros;
  let hour = t / 3_600_000_000n;
  let min = (t / 60_000_000n) % 60n;
  let sec = (t / 1_000_000n) % 60n;
  let usec = t % 1_000_000n;
  switch (unit) {
    case 'millennium': year = cdiv(year, 1000) * 1000; // falls through
    case 'century': year = cdiv(year, 100) * 100; // falls through
    case 'decade': year = cdiv(year, 10) * 10; // falls through
    case 'year': mon = 0; // falls through
    case 'quarter': mon = 3 * cdiv(mon, 3); // falls through
    case 'month': days = 0; // falls through
    case 'day': hour = 0n; // falls through
    case 'hour': min = 0n; // falls through
    case 'minute': sec = 0n; // falls through
    case 'second': usec = 0n; break;
    case 'milliseconds': usec = (usec / 1000n) * 1000n; break;
    case 'microseconds': break;
    default:
      throw unitNotSupported(field.toLowerCase(), 'interval', unit === 'week' ? 'Months usually have fractional weeks.' : undefined);
  }
  return new Interval(year * 12 + mon, days, ((hour * 60n + min) * 60n + sec) * 1_000_000n + usec);
}
