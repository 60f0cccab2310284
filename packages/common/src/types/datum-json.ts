import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import { Decimal } from './decimal.ts';
import { Interval } from './interval.ts';

/**
 * Lossless JSON form of a datum for plans and RPC:
 * - boolean, smallint, integer, date, character varying, jsonb: as is;
 * - real, double precision: a number, or the strings 'NaN' / 'Infinity' / '-Infinity' / '-0';
 * - bigint, time, timestamp[tz]: decimal string;
 * - numeric: its text (scale kept);
 * - interval: 'months:days:micros';
 * - bytea: hex string (no `\x`).
 * NULL is null.
 */
export function datumToJson(type: DataType, d: Datum): unknown {
  if (d === null) return null;
  switch (type) {
    case 'real':
    case 'double precision': {
      const v = d as number;
      if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : v;
      return String(v);
    }
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return (d as bigint).toString();
    case 'numeric':
      return (d as Decimal).toString();
    case 'interval':
      return (d as Interval).toJSON();
    case 'bytea':
      return Buffer.from(d as Uint8Array).toString('hex');
    default:
      return d;
  }
}

export function datumFromJson(type: DataType, j: unknown): Datum {
  if (j === null || j === undefined) return null;
  switch (type) {
    case 'real':
    case 'double precision':
      return typeof j === 'number' ? j : Number(j as string);
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return BigInt(j as string | number);
    case 'numeric':
      return Decimal.parse(String(j));
    case 'interval':
      return Interval.fromJSON(j as string);
    case 'bytea':
      return new Uint8Array(Buffer.from(j as string, 'hex'));
    case 'boolean':
      return j as boolean;
    case 'smallint':
    case 'integer':
    case 'date':
      return j as number;
    case 'character varying':
    case 'jsonb':
      return j as string;
  }
}

/** A whole row to JSON. */
export function rowToJson(types: readonly DataType[], row: readonly Datum[]): unknown[] {
  return row.map((d, i) => datumToJson(types[i], d));
}

export function rowFromJson(types: readonly DataType[], row: readonly unknown[]): Datum[] {
  return row.map((j, i) => datumFromJson(types[i], j));
}
