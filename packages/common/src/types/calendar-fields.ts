import { civilFromDays, daysFromCivil, splitTimestamp } from './datetime.ts';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from './interval.ts';

/**
 * A timestamp broken down into calendar fields, like PostgreSQL's `struct pg_tm` plus `fsec`:
 * the astronomical year (1 BC is year 0), month 1-12, day of month, time of day, µs within the
 * second, day of week (0 = Sunday) and day of year (1-based). The ISO-week helpers follow PG's
 * `date2isoweek` / `date2isoyear` / `date2isoyearday` exactly, including their year-end rules.
 */
export interface CalendarFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** µs within the second, 0..999999. */
  fsec: number;
  /** 0 = Sunday .. 6 = Saturday. */
  wday: number;
  /** Day of year, 1-based. */
  yday: number;
}

/** Julian day number of 1970-01-01 (PG's UNIX_EPOCH_JDATE). */
export const UNIX_EPOCH_JDATE = 2440588;

/** PG date2j: Julian day number of a civil date. */
export function julianDay(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d) + UNIX_EPOCH_JDATE;
}

/** PG j2day: day of week of a Julian day, 0 = Sunday. */
export function julianWeekday(j: number): number {
  const d = (j + 1) % 7;
  return d < 0 ? d + 7 : d;
}

/** Fields of days since 1970-01-01 plus µs within the day (0 <= timeMicros < 1 day). */
export function fieldsOfDays(days: number, timeMicros: bigint): CalendarFields {
  const [year, month, day] = civilFromDays(days);
  const secs = Number(timeMicros / MICROS_PER_SECOND);
  return {
    year, month, day,
    hour: Number(timeMicros / MICROS_PER_HOUR),
    minute: Number((timeMicros / MICROS_PER_MINUTE) % 60n),
    second: secs % 60,
    fsec: Number(timeMicros % MICROS_PER_SECOND),
    wday: julianWeekday(days + UNIX_EPOCH_JDATE),
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Fields of a (local) timestamp in µs since 1970-01-01. */
export function fieldsOfTimestamp(ts: bigint): CalendarFields {
  const [days, rem] = splitTimestamp(ts);
  return fieldsOfDays(days, rem);
}

/** Julian day of the Monday starting ISO week 1 of `isoYear` (PG isoweek2j with week 1). */
function isoWeekOneStart(isoYear: number): number {
  const day4 = julianDay(isoYear, 1, 4);
  return day4 - julianWeekday(day4 - 1);
}

/** PG date2isoyear: the ISO 8601 week-numbering year of a date. */
export function isoYear(y: number, m: number, d: number): number {
  const dayn = julianDay(y, m, d);
  let year = y;
  if (dayn < isoWeekOneStart(year)) year--;
  const week = Math.floor((dayn - isoWeekOneStart(year)) / 7) + 1;
  if (week >= 52 && dayn >= isoWeekOneStart(year + 1)) year++;
  return year;
}

/** PG date2isoweek: the ISO 8601 week number (1..53) of a date. */
export function isoWeek(y: number, m: number, d: number): number {
  const dayn = julianDay(y, m, d);
  return Math.floor((dayn - isoWeekOneStart(isoYear(y, m, d))) / 7) + 1;
}

/** PG date2isoyearday: day of the ISO week-numbering year (1..371). */
export function isoYearDay(y: number, m: number, d: number): number {
  return julianDay(y, m, d) - isoWeekOneStart(isoYear(y, m, d)) + 1;
}

/** PG isoweek2j: Julian day of the Monday of ISO week `week` of `isoYear`. */
export function isoWeekStart(isoYearValue: number, week: number): number {
  return isoWeekOneStart(isoYearValue) + (week - 1) * 7;
}
