import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { formatFraction, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from './interval.ts';
import { currentTimeZone, formatZoneOffset, ianaName, localToUtc, zoneOffsetSeconds, type TimeZone } from './time-zone.ts';

/**
 * Calendar helpers for date (days since 1970-01-01), time (µs since midnight) and timestamps (µs
 * since 1970-01-01 UTC). Proleptic Gregorian calendar; year 0 is 1 BC, as in PG.
 */

/** PG's `infinity` / `-infinity` for dates (int32 extremes) and timestamps (int64 extremes). */
export const DATE_POS_INFINITY = 2147483647;
export const DATE_NEG_INFINITY = -2147483648;
export const TIMESTAMP_POS_INFINITY = 9223372036854775807n;
export const TIMESTAMP_NEG_INFINITY = -9223372036854775808n;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of days since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1];
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** `YYYY-MM-DD`, with ` BC` for years <= 0 (the caller appends the BC suffix after any time). */
function formatYmd(days: number): { text: string; bc: boolean } {
  const [y, m, d] = civilFromDays(days);
  const bc = y <= 0;
  return { text: `${pad(bc ? 1 - y : y, 4)}-${pad(m, 2)}-${pad(d, 2)}`, bc };
}

export function formatDate(days: number): string {
  if (days === DATE_POS_INFINITY) return 'infinity';
  if (days === DATE_NEG_INFINITY) return '-infinity';
  const { text, bc } = formatYmd(days);
  return bc ? text + ' BC' : text;
}

/** `HH:MM:SS[.ffffff]` of µs since midnight (24:00:00 allowed). */
export function formatTime(micros: bigint): string {
  const h = Number(micros / MICROS_PER_HOUR);
  const mi = Number((micros / MICROS_PER_MINUTE) % 60n);
  const s = Number((micros / MICROS_PER_SECOND) % 60n);
  return `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${formatFraction(micros % MICROS_PER_SECOND)}`;
}

/** Floor division of a timestamp into [days, µs within day]. */
export function splitTimestamp(ts: bigint): [number, bigint] {
  let days = ts / MICROS_PER_DAY;
  let rem = ts % MICROS_PER_DAY;
  if (rem < 0n) {
    days -= 1n;
    rem += MICROS_PER_DAY;
  }
  return [Number(days), rem];
}

/** timestamp: as stored; timestamptz: in the session's zone with its offset (`+01`, `+05:30`). */
export function formatTimestamp(ts: bigint, withZone: boolean): string {
  if (ts === TIMESTAMP_POS_INFINITY) return 'infinity';
  if (ts === TIMESTAMP_NEG_INFINITY) return '-infinity';
  let suffix = '';
  if (withZone) {
    const offset = zoneOffsetSeconds(currentTimeZone(), ts);
    ts += BigInt(offset) * MICROS_PER_SECOND;
    suffix = formatZoneOffset(offset);
  }
  const [days, rem] = splitTimestamp(ts);
  const { text, bc } = formatYmd(days);
  return text + ' ' + formatTime(rem) + suffix + (bc ? ' BC' : '');
}

// ---------------------------------------------------------------------------------------------
// Input.

const DATE_RE = /^(\d{1,})-(\d{1,2})-(\d{1,2})/;
const TIME_RE = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?/;
const ZONE_RE = /^(?:z|utc|gmt|([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)$/;

export interface ParsedDateTime {
  days: number;
  /** µs since midnight. */
  timeMicros: bigint;
  /** Seconds east of UTC when the text names an offset, else null. */
  zoneOffsetSeconds: number | null;
  /** A zone named in the text (`2024-01-01 12:00 Europe/Berlin`): its offset depends on the time. */
  zone?: TimeZone;
  hasTime: boolean;
}

function invalid(typeName: string, text: string): DbError {
  return new DbError(SqlState.InvalidDatetimeFormat, `invalid input syntax for type ${typeName}: "${text}"`);
}

function outOfRange(text: string): DbError {
  return new DbError(SqlState.DatetimeFieldOverflow, `date/time field value out of range: "${text}"`);
}

/** Fraction digits to µs, rounding half up past 6 digits. */
export function fractionToMicros(frac: string | undefined): bigint {
  if (!frac) return 0n;
  if (frac.length <= 6) return BigInt(frac.padEnd(6, '0'));
  const head = BigInt(frac.slice(0, 6));
  return frac.charCodeAt(6) >= 53 ? head + 1n : head;
}

/** Parses `HH:MM[:SS[.ffffff]]` at the start of `s`; returns µs and the consumed length. */
export function parseTimeOfDay(s: string, text: string): { micros: bigint; len: number } | null {
  const m = TIME_RE.exec(s);
  if (m === null) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = m[3] !== undefined ? Number(m[3]) : 0;
  const micros = BigInt(h) * MICROS_PER_HOUR + BigInt(mi) * MICROS_PER_MINUTE + BigInt(sec) * MICROS_PER_SECOND + fractionToMicros(m[4]);
  if (h > 24 || mi > 59 || sec > 60 || micros > 24n * MICROS_PER_HOUR) throw outOfRange(text);
  return { micros, len: m[0].length };
}

/**
 * ISO-style date/time input shared by date, timestamp and timestamptz: `YYYY-MM-DD`, then an
 * optional time after ' ' or 'T', an optional zone (`Z`, `UTC`, `+02`, `+05:30`, `-0800`) and an
 * optional ` BC`. Also `epoch`, `infinity`, `-infinity`.
 */
export function parseDateTime(text: string, typeName: string): ParsedDateTime | 'infinity' | '-infinity' {
  let s = text.trim().toLowerCase();
  if (s === 'infinity' || s === '+infinity') return 'infinity';
  if (s === '-infinity') return '-infinity';
  if (s === 'epoch') return { days: 0, timeMicros: 0n, zoneOffsetSeconds: 0, hasTime: false };
  let bc = false;
  if (s.endsWith(' bc')) {
    bc = true;
    s = s.slice(0, -3).trimEnd();
  } else if (s.endsWith(' ad')) {
    s = s.slice(0, -3).trimEnd();
  }
  const dm = DATE_RE.exec(s);
  if (dm === null) throw invalid(typeName, text);
  let y = Number(dm[1]);
  const mo = Number(dm[2]);
  const d = Number(dm[3]);
  if (bc) {
    if (y === 0) throw invalid(typeName, text);
    y = 1 - y;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw outOfRange(text);
  s = s.slice(dm[0].length);
  let timeMicros = 0n;
  let hasTime = false;
  if (s.length > 0 && (s[0] === ' ' || s[0] === 't')) {
    const rest = s.slice(1).trimStart();
    const t = parseTimeOfDay(rest, text);
    if (t !== null) {
      timeMicros = t.micros;
      hasTime = true;
      s = rest.slice(t.len);
    }
  }
  let zoneOffsetSeconds: number | null = null;
  s = s.trim();
  if (s.length > 0) {
    const zm = ZONE_RE.exec(s);
    const named = zm === null ? ianaName(s) : null;
    if (named !== null) {
      return { days: daysFromCivil(y, mo, d), timeMicros, zoneOffsetSeconds: null, hasTime, zone: { kind: 'iana', name: named } };
    }
    if (zm === null) throw invalid(typeName, text);
    if (zm[1] === undefined) zoneOffsetSeconds = 0;
    else {
      const hh = Number(zm[2]);
      const mm = zm[3] !== undefined ? Number(zm[3]) : 0;
      const ss = zm[4] !== undefined ? Number(zm[4]) : 0;
      if (hh > 15 || mm > 59 || ss > 59) throw outOfRange(text);
      zoneOffsetSeconds = (zm[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
    }
  }
  return { days: daysFromCivil(y, mo, d), timeMicros, zoneOffsetSeconds, hasTime };
}


/**
 * PG timestamp_pl_interval: months first (clamping the day to the month's length), then days,
 * then µs. Infinite timestamps stay infinite.
 */
export function timestampAddInterval(ts: bigint, months: number, days: number, micros: bigint): bigint {
  if (ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return ts;
  if (months !== 0) {
    const [dayNum, time] = splitTimestamp(ts);
    const [y, m, d] = civilFromDays(dayNum);
    const total = y * 12 + (m - 1) + months;
    const ny = Math.floor(total / 12);
    const nm = total - ny * 12 + 1;
    const nd = Math.min(d, daysInMonth(ny, nm));
    ts = BigInt(daysFromCivil(ny, nm, nd)) * MICROS_PER_DAY + time;
  }
  return ts + BigInt(days) * MICROS_PER_DAY + micros;
}
