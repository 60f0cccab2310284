import { readFileSync } from 'node:fs';
import { zoneOffsetSeconds, type TimeZone } from './time-zone.ts';

/**
 * The time zone abbreviation PostgreSQL prints for `to_char(..., 'TZ')` (`EST`, `CEST`, `IST`,
 * `+04`, `LMT`): read from the host's compiled tz data (`/usr/share/zoneinfo`, the same files a
 * Debian PostgreSQL uses), since `Intl` only knows CLDR names (`GMT+5:30` for Asia/Kolkata).
 * Offsets still come from time-zone.ts; this file only names them.
 *
 * TZif layout used (RFC 8536), version 2+ second part (64-bit times):
 *
 *   header(44) | transition times (timecnt x i64) | type index (timecnt x u8)
 *   | ttinfo (typecnt x {i32 utoff, u8 isdst, u8 abbrind}) | abbreviation chars (charcnt)
 *   | ... | "\n" footer TZ string "\n"
 *
 * After the last transition the footer's POSIX rule applies (`EST5EDT,M3.2.0,M11.1.0`): its
 * standard or daylight name is picked by comparing the instant's offset with the standard one.
 */
const ZONEINFO_DIR = '/usr/share/zoneinfo';

interface ZoneAbbreviations {
  /** Transition instants in seconds, ascending. */
  times: number[];
  /** Abbreviation in force from each transition. */
  names: string[];
  /** Before the first transition. */
  initial: string;
  footer: { std: string; stdOffset: number; dst: string | null } | null;
}

const cache = new Map<string, ZoneAbbreviations | null>();

/** The abbreviation of `zone` at `utcMicros`; '' when unknown (as PG for `SET TimeZone = '+02'`). */
export function zoneAbbreviation(zone: TimeZone, utcMicros: bigint): string {
  if (zone.kind === 'fixed') return zone.offsetSeconds === 0 ? 'UTC' : '';
  let z = cache.get(zone.name);
  if (z === undefined) {
    z = loadZone(zone.name);
    cache.set(zone.name, z);
  }
  if (z === null) return '';
  const t = Number(utcMicros / 1_000_000n);
  if (z.times.length === 0 || t < z.times[0]) return z.times.length === 0 && z.footer ? footerName(z, zone, utcMicros) : z.initial;
  if (t >= z.times[z.times.length - 1] && z.footer) return footerName(z, zone, utcMicros);
  let lo = 0;
  let hi = z.times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (z.times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return z.names[lo];
}

function footerName(z: ZoneAbbreviations, zone: TimeZone, utcMicros: bigint): string {
  const f = z.footer!;
  if (f.dst === null) return f.std;
  return zoneOffsetSeconds(zone, utcMicros) === f.stdOffset ? f.std : f.dst;
}

function loadZone(name: string): ZoneAbbreviations | null {
  if (!/^[A-Za-z0-9_+\-/]+$/.test(name) || name.includes('..')) return null;
  let buf: Buffer;
  try {
    buf = readFileSync(`${ZONEINFO_DIR}/${name}`);
  } catch {
    return null;
  }
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'TZif' || buf[4] < 0x32) return null;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => buf.readUInt32BE(at + 20 + i * 4));
  const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts(0);
  const v1Size = timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
  const h = 44 + v1Size;
  const [isut2, isstd2, leap2, time2, type2, char2] = counts(h);
  let p = h + 44;
  const times: number[] = [];
  for (let i = 0; i < time2; i++) times.push(Number(buf.readBigInt64BE(p + i * 8)));
  p += time2 * 8;
  const idx = [...buf.subarray(p, p + time2)];
  p += time2;
  const types: { abbr: number }[] = [];
  for (let i = 0; i < type2; i++) types.push({ abbr: buf[p + i * 6 + 5] });
  p += type2 * 6;
  const chars = buf.toString('latin1', p, p + char2);
  p += char2 + leap2 * 12 + isstd2 + isut2;
  const abbrAt = (i: number): string => chars.slice(i, chars.indexOf('\0', i));
  const footerText = buf.toString('latin1', p).split('\n')[1] ?? '';
  return {
    times,
    names: idx.map((i) => abbrAt(types[i].abbr)),
    initial: types.length > 0 ? abbrAt(types[0].abbr) : '',
    footer: parseFooter(footerText),
  };
}

/** `STDoffset[DST[offset][,rule]]`, names either alphabetic or `<+0530>`-quoted. */
function parseFooter(text: string): ZoneAbbreviations['footer'] {
  const m = /^(<[^>]*>|[A-Za-z]+)([+-]?\d{1,2}(?::\d{2}){0,2})(<[^>]*>|[A-Za-z]+)?/.exec(text);
  if (m === null) return null;
  const unquote = (s: string): string => (s.startsWith('<') ? s.slice(1, -1) : s);
  const [hh, mm = '0', ss = '0'] = m[2].replace(/^[+-]/, '').split(':');
  const west = Number(hh) * 3600 + Number(mm) * 60 + Number(ss);
  return { std: unquote(m[1]), stdOffset: m[2].startsWith('-') ? west : -west, dst: m[3] ? unquote(m[3]) : null };
}
