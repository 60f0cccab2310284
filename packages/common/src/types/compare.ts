import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import type { Decimal } from './decimal.ts';
import type { Interval } from './interval.ts';

/**
 * Total order on the datums of one type, matching PostgreSQL for ordering and equality:
 * - NULL sorts after every value (PG's NULLS LAST for ASC); callers wanting other NULL placement
 *   handle NULL themselves;
 * - floats: -0 = 0, NaN = NaN and NaN above +Infinity;
 * - numeric: value order ignoring display scale (1.0 = 1.00), NaN greatest;
 * - interval: by total span (30-day months), so '1 mon' = '30 days';
 * - strings: by Unicode code point (= UTF-8 bytes, PG's "C" collation);
 * - jsonb: by normalized text (not PG's jsonb ordering; a total order consistent with equality).
 */
export function compareDatum(type: DataType, a: Datum, b: Datum): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  switch (type) {
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'smallint':
    case 'integer':
    case 'date':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    case 'real':
    case 'double precision':
      return compareFloat(a as number, b as number);
    case 'numeric':
      return (a as Decimal).compare(b as Decimal);
    case 'character varying':
    case 'jsonb':
      return compareStrings(a as string, b as string);
    case 'bytea':
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'interval':
      return (a as Interval).compare(b as Interval);
  }
}

export function datumEquals(type: DataType, a: Datum, b: Datum): boolean {
  return compareDatum(type, a, b) === 0;
}

/** PG float8_cmp: NaN equals NaN and is greater than everything else; -0 = 0. */
export function compareFloat(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

/** Code point order (equal to UTF-8 byte order), unlike JS `<` which compares UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF: move them above E000-FFFF.
    if (x >= 0xd800) x = x < 0xe000 ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
