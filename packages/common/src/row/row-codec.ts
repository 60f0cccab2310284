import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Decimal } from '../types/decimal.ts';
import { Interval } from '../types/interval.ts';
import { ByteReader, ByteWriter } from './byte-buffer.ts';

/**
 * Compact value encoding of a row (not order-preserving; see keys/memcomparable for keys).
 *
 *   row    := null_bitmap[ceil(n / 8)] value*      bit i set = column i is NULL (LSB first);
 *                                                  values only for non-NULL columns, big-endian
 *   boolean u8 | smallint i16 | integer, date i32 | bigint, time, timestamp[tz] i64
 *   real f32 | double f64 | interval months:i32 days:i32 micros:i64
 *   varchar, jsonb  len:u32 utf8[len] | bytea len:u32 bytes[len]
 *   numeric tag:u8 then  0: scale:u16 mantissa:i64
 *                        1: scale:u16 len:u32 ascii-decimal-mantissa[len] (big mantissas)
 *                        2: NaN   3: +Infinity   4: -Infinity
 */

const WRITER = new ByteWriter(1024);
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

export function encodeRow(types: readonly DataType[], row: readonly Datum[]): Uint8Array {
  const w = WRITER;
  w.reset();
  encodeRowInto(w, types, row);
  return w.finish();
}

/** Appends the encoding of `row` to `w` (for callers batching many rows into one buffer). */
export function encodeRowInto(w: ByteWriter, types: readonly DataType[], row: readonly Datum[]): void {
  const n = types.length;
  const bitmapBytes = (n + 7) >> 3;
  w.ensure(bitmapBytes);
  const bitmapAt = w.pos;
  w.buf.fill(0, bitmapAt, bitmapAt + bitmapBytes);
  w.pos += bitmapBytes;
  for (let i = 0; i < n; i++) {
    const d = row[i];
    if (d === null || d === undefined) {
      w.buf[bitmapAt + (i >> 3)] |= 1 << (i & 7);
      continue;
    }
    encodeValue(w, types[i], d);
  }
}

function encodeValue(w: ByteWriter, type: DataType, d: Datum): void {
  switch (type) {
    case 'boolean': return w.u8(d ? 1 : 0);
    case 'smallint': w.ensure(2); w.view.setInt16(w.pos, d as number); w.pos += 2; return;
    case 'integer':
    case 'date': return w.i32(d as number);
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone': return w.i64(d as bigint);
    case 'real': return w.f32(d as number);
    case 'double precision': return w.f64(d as number);
    case 'character varying':
    case 'jsonb': {
      const at = w.pos;
      w.u32(0);
      const len = w.utf8(d as string);
      w.view.setUint32(at, len);
      return;
    }
    case 'bytea': {
      const b = d as Uint8Array;
      w.u32(b.length);
      return w.bytes(b);
    }
    case 'interval': {
      const iv = d as Interval;
      w.i32(iv.months);
      w.i32(iv.days);
      return w.i64(iv.micros);
    }
    case 'numeric': return encodeDecimal(w, d as Decimal);
  }
}

function encodeDecimal(w: ByteWriter, d: Decimal): void {
  if (d.kind !== 'finite') {
    w.u8(d.kind === 'nan' ? 2 : d.kind === 'inf' ? 3 : 4);
    return;
  }
  if (d.mantissa >= I64_MIN && d.mantissa <= I64_MAX) {
    w.u8(0);
    w.u16(d.scale);
    w.i64(d.mantissa);
    return;
  }
  w.u8(1);
  w.u16(d.scale);
  const s = d.mantissa.toString();
  w.u32(s.length);
  w.utf8(s);
}

export function decodeRow(types: readonly DataType[], bytes: Uint8Array): Datum[] {
  const r = new ByteReader(bytes, 'row');
  const n = types.length;
  const bitmapBytes = (n + 7) >> 3;
  r.need(bitmapBytes);
  r.pos = bitmapBytes;
  const out = new Array<Datum>(n);
  for (let i = 0; i < n; i++) {
    out[i] = bytes[i >> 3] & (1 << (i & 7)) ? null : decodeValue(r, types[i]);
  }
  if (r.pos !== bytes.length) throw new Error(`corrupted row: ${bytes.length - r.pos} trailing bytes`);
  return out;
}

function decodeValue(r: ByteReader, type: DataType): Datum {
  switch (type) {
    case 'boolean': return r.u8() !== 0;
    case 'smallint': {
      r.need(2);
      const v = r.view.getInt16(r.pos);
      r.pos += 2;
      return v;
    }
    case 'integer':
    case 'date': return r.i32();
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone': return r.i64();
    case 'real': return r.f32();
    case 'double precision': return r.f64();
    case 'character varying':
    case 'jsonb': return r.utf8(r.u32());
    case 'bytea': return r.bytes(r.u32());
    case 'interval': {
      const months = r.i32();
      const days = r.i32();
      return new Interval(months, days, r.i64());
    }
    case 'numeric': return decodeDecimal(r);
  }
}

function decodeDecimal(r: ByteReader): Decimal {
  const tag = r.u8();
  switch (tag) {
    case 0: {
      const scale = r.u16();
      return Decimal.of(r.i64(), scale);
    }
    case 1: {
      const scale = r.u16();
      return Decimal.of(BigInt(r.utf8(r.u32())), scale);
    }
    case 2: return Decimal.NAN;
    case 3: return Decimal.INFINITY;
    case 4: return Decimal.NEG_INFINITY;
    default: throw new Error(`corrupted row: bad numeric tag ${tag}`);
  }
}
