import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { fieldsOfTimestamp, type CalendarFields } from '../types/calendar-fields.ts';
import { daysInMonth, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from '../types/datetime.ts';
import { Interval } from '../types/interval.ts';

/**
 * PostgreSQL's age(a, b) (timestamp_age): the field-by-field difference of the two broken-down
 * times, taken as |a - b| (sign restored at the end); a negative field borrows from the next larger
 * one, and a negative day count borrows the length of `a`'s month when a < b, else of `b`'s.
 */

/** PG keeps timestamps from 2000-01-01; its ±infinity are int64 extremes from there. */
const PG_EPOCH_SHIFT_MICROS = 946_684_800_000_000n;

/** PG breaks +infinity down as a date in 294277 (so age() of it is a huge interval); -infinity fails. */
function fieldsForAge(ts: bigint): CalendarFields {
  if (ts === TIMESTAMP_NEG_INFINITY) throw new DbError(SqlState.DatetimeFieldOverflow, 'timestamp out of range');
  if (ts === TIMESTAMP_POS_INFINITY) return fieldsOfTimestamp(ts + PG_EPOCH_SHIFT_MICROS);
  return fieldsOfTimestamp(ts);
}

/** age of two local times (timestamptz callers pass times shifted into the session zone). */
export function timestampAge(a: bigint, b: bigint, localA: bigint = a, localB: bigint = b): Interval {
  const t1 = fieldsForAge(localA);
  const t2 = fieldsForAge(localB);
  const flip = a < b ? -1 : 1;
  let fsec = flip * (t1.fsec - t2.fsec);
  let sec = flip * (t1.second - t2.second);
  let min = flip * (t1.minute - t2.minute);
  let hour = flip * (t1.hour - t2.hour);
  let mday = flip * (t1.day - t2.day);
  let mon = flip * (t1.month - t2.month);
  let year = flip * (t1.year - t2.year);
  while (fsec < 0) { fsec += 1_000_000; sec--; }
  while (sec < 0) { sec += 60; min--; }
  while (min < 0) { min += 60; hour--; }
  while (hour < 0) { hour += 24; mday--; }
  const borrowFrom = a < b ? t1 : t2;
  while (mday < 0) {
    mday += daysInMonth(borrowFrom.year, borrowFrom.month);
    mon--;
  }
  while (mon < 0) { mon += 12; year--; }
  const micros = ((BigInt(hour) * 60n + BigInt(min)) * 60n + BigInt(sec)) * 1_000_000n + BigInt(fsec);
  return new Interval(flip * (year * 12 + mon), flip * mday, BigInt(flip) * micros);
}
