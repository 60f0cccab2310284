import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';

/**
 * Time zones for timestamptz: values are UTC µs; text input without an explicit offset and all
 * text output use the session's `TimeZone` (PostgreSQL semantics).
 *
 * 1. A zone is an IANA name (resolved through `Intl`, so the host's tz data, no dependency) or a
 *    fixed offset. PostgreSQL reads a `TimeZone` setting such as `+02:00` as a POSIX zone, whose
 *    sign is inverted (west of Greenwich positive): `SET TimeZone = '+02:00'` prints `-02`.
 * 2. The session's zone reaches the datum formatters and parsers through a provider the frontend
 *    installs (`setTimeZoneProvider`): formatting is a pure leaf called from deep inside batch
 *    executors and casts. Without one (compute nodes: streaming casts), the zone is UTC.
 */
export type TimeZone = { kind: 'fixed'; offsetSeconds: number } | { kind: 'iana'; name: string };

export const UTC_ZONE: TimeZone = { kind: 'fixed', offsetSeconds: 0 };

let provider: () => TimeZone = () => UTC_ZONE;

/** Installs where the current zone comes from (the frontend: the running session's TimeZone). */
export function setTimeZoneProvider(p: () => TimeZone): void {
  provider = p;
}

export function currentTimeZone(): TimeZone {
  return provider();
}

const POSIX_OFFSET_RE = /^([+-])?(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/;
/** A POSIX zone without daylight rules: `UTC+3`, `<-07>+07` (name, then hours WEST of UTC). */
const POSIX_STD_RE = /^(?:[A-Za-z]{3,}|<[+-]?[A-Za-z0-9:+-]+>)([+-]?\d{1,2}(?::\d{2}){0,2})$/;
const zoneCache = new Map<string, TimeZone>();

/**
 * A `TimeZone` setting value: `UTC`/`GMT`/`Z`, an IANA name (case-insensitive), or a POSIX offset
 * `[+-]hh[:mm[:ss]]` (inverted sign). Null when it is none of those.
 */
export function parseTimeZoneSetting(value: string): TimeZone | null {
  const v = value.trim();
  const cached = zoneCache.get(v);
  if (cached) return cached;
  let zone: TimeZone | null = null;
  const m = POSIX_OFFSET_RE.exec(v);
  if (/^(utc|gmt|z|zulu|etc\/utc|etc\/gmt|universal)$/i.test(v)) zone = UTC_ZONE;
  else if (m) {
    const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    if (Number(m[2]) <= 15) zone = { kind: 'fixed', offsetSeconds: m[1] === '-' ? seconds : -seconds };
  } else {
    const name = ianaName(v);
    if (name !== null) zone = name === 'UTC' ? UTC_ZONE : { kind: 'iana', name };
    const std = name === null ? POSIX_STD_RE.exec(v) : null;
    if (std) zone = parseTimeZoneSetting(std[1]);
  }
  if (zone !== null && zoneCache.size < 1000) zoneCache.set(v, zone);
  return zone;
}

/** The canonical IANA name of `name`, or null when the host does not know it. */
export function ianaName(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(name: string): Intl.DateTimeFormat {
  let f = formatters.get(name);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(name, f);
  }
  return f;
}

const MS_MIN = -8.64e15;
const MS_MAX = 8.64e15;

/** Seconds east of UTC in `zone` at the instant `utcMicros`. */
export function zoneOffsetSeconds(zone: TimeZone, utcMicros: bigint): number {
  if (zone.kind === 'fixed') return zone.offsetSeconds;
  // Whole seconds: Intl has no sub-second offsets (PG's LMT offsets are whole seconds too).
  let ms = Number(utcMicros / 1000n);
  ms = Math.min(Math.max(ms, MS_MIN), MS_MAX);
  ms -= ((ms % 1000) + 1000) % 1000;
  const parts = formatterOf(zone.name).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)!.value);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const local = Date.UTC(2000, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const d = new Date(local);
  d.setUTCFullYear(year);
  return Math.round((d.getTime() - ms) / 1000);
}

/**
 * The UTC instant of local wall-clock time `localMicros` in `zone`. Around a transition the two
 * offsets of the day before and after are tried: of the readings that map back to the same wall
 * time the later instant wins (an ambiguous fall-back time is standard time); in a spring-forward
 * gap neither does and the later instant wins too (02:30 reads as 03:30 DST), as PostgreSQL.
 */
export function localToUtc(zone: TimeZone, localMicros: bigint): bigint {
  if (zone.kind === 'fixed') return localMicros - BigInt(zone.offsetSeconds) * 1_000_000n;
  const day = 86_400_000_000n;
  const offsets = new Set([zoneOffsetSeconds(zone, localMicros - day), zoneOffsetSeconds(zone, localMicros + day)]);
  const candidates = [...offsets].map((o) => localMicros - BigInt(o) * 1_000_000n);
  const valid = candidates.filter((c) => c + BigInt(zoneOffsetSeconds(zone, c)) * 1_000_000n === localMicros);
  const pool = valid.length > 0 ? valid : candidates;
  return pool.reduce((a, b) => (b > a ? b : a));
}

/** PostgreSQL's offset suffix: `+00`, `+05:30`, `-03`, `+00:53:28`. */
export function formatZoneOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = Math.floor(abs / 3600);
  const mm = Math.floor((abs % 3600) / 60);
  const ss = abs % 60;
  let out = sign + String(hh).padStart(2, '0');
  if (mm !== 0 || ss !== 0) out += ':' + String(mm).padStart(2, '0');
  if (ss !== 0) out += ':' + String(ss).padStart(2, '0');
  return out;
}

/** 22023 for a TimeZone value that names no zone. */
export function invalidTimeZone(value: string): DbError {
  return new DbError(SqlState.InvalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`);
}
