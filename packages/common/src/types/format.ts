import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import type { Decimal } from './decimal.ts';
import type { Interval } from './interval.ts';
import { formatDate, formatTime, formatTimestamp } from './datetime.ts';

/**
 * PostgreSQL text output of a datum (session TimeZone UTC, DateStyle ISO, IntervalStyle postgres,
 * extra_float_digits 1, bytea_output hex). NULL -> null.
 */
export function formatDatum(type: DataType, d: Datum): string | null {
  if (d === null) return null;
  switch (type) {
    case 'boolean': return d ? 't' : 'f';
    case 'smallint':
    case 'integer':
    case 'bigint': return String(d);
    case 'real': return formatFloat4(d as number);
    case 'double precision': return formatFloat8(d as number);
    case 'numeric': return (d as Decimal).toString();
    case 'character varying':
    case 'jsonb': return d as string;
    case 'bytea': return formatBytea(d as Uint8Array);
    case 'date': return formatDate(d as number);
    case 'time without time zone': return formatTime(d as bigint);
    case 'timestamp without time zone': return formatTimestamp(d as bigint, false);
    case 'timestamp with time zone': return formatTimestamp(d as bigint, true);
    case 'interval': return (d as Interval).toString();
  }
}

/** float8out: shortest round-trip digits; exponent form when exp < -4 or exp >= 15. */
export function formatFloat8(v: number): string {
  return formatShortest(v, v.toExponential(), 15);
}

/** float4out: shortest digits that round-trip through float32; exponent form when exp >= 6. */
export function formatFloat4(v: number): string {
  if (!Number.isFinite(v) || v === 0) return formatShortest(v, '', 6);
  let exp = '';
  for (let p = 1; p <= 9; p++) {
    exp = v.toExponential(p - 1);
    if (Math.fround(Number(exp)) === v) break;
  }
  return formatShortest(v, exp, 6);
}

/** Lays out `d.ddde±x` digits like Ryu's d2s/f2s as PG calls them. */
function formatShortest(v: number, expForm: string, maxFixedExp: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const neg = v < 0;
  const eIdx = expForm.indexOf('e');
  const mant = expForm.slice(neg ? 1 : 0, eIdx);
  const exp = Number(expForm.slice(eIdx + 1));
  const digits = mant.length > 1 ? mant[0] + mant.slice(2) : mant;
  let out: string;
  if (exp < -4 || exp >= maxFixedExp) {
    const frac = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const absExp = Math.abs(exp);
    out = frac + 'e' + (exp < 0 ? '-' : '+') + (absExp < 10 ? '0' : '') + absExp;
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + out : out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function formatBytea(b: Uint8Array): string {
  let s = '\\x';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}
