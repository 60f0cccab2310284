import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Decimal, pow10 } from '../types/decimal.ts';
import { Interval, MICROS_PER_DAY } from '../types/interval.ts';
import { ByteWriter } from '../row/byte-buffer.ts';

/**
 * Memcomparable key encoding: comparing two encoded keys bytewise (unsigned, shorter prefix first)
 * gives the same order as comparing the rows column by column with `compareDatum`, each column
 * ascending or descending. Every column is self-delimiting, so the encoding of the first k columns
 * is a byte prefix of the full key (range scans by key prefix).
 *
 *   column := flag:u8 [value]          flag: NULL / not NULL, chosen by nulls-first-ness;
 *                                       value bytes are inverted (xor 0xFF) for desc
 *   boolean            u8 0/1
 *   smallint/integer   big-endian with the sign bit flipped (2/4 bytes); date as integer
 *   bigint/time/ts     big-endian int64, sign bit flipped
 *   real/double        IEEE bits big-endian; positive: sign bit set; negative: all bits inverted
 *                      (-0 written as 0, NaN canonical and greatest)
 *   numeric            tag:u8 (1 -inf, 2 negative, 3 zero, 4 positive, 5 +inf, 6 NaN) then for
 *                      nonzero finite: exponent:i32 (sign flipped), digit pairs (1 + 10a + b) each
 *                      one byte, terminator 0x00; all bytes after the tag inverted when negative
 *   varchar/jsonb/bytea  bytes with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00
 *   interval           total span in µs (30-day months) as int128 big-endian, sign bit flipped
 *
 * Values that compare equal encode equally, so decoding returns a canonical representative:
 * numeric without trailing fractional zeros, -0.0 as 0, interval as days + µs.
 */

export type SortOrder = 'asc' | 'desc';

const FLAG_NULL_FIRST = 0x00;
const FLAG_VALUE = 0x01;
const FLAG_NULL_LAST = 0x02;

const WRITER = new ByteWriter(256);

/** Encodes a key. `nullsFirst[i]` defaults to true for desc and false for asc, like PG. */
export function encodeMemcomparable(
  types: readonly DataType[],
  orders: readonly SortOrder[],
  row: readonly Datum[],
  nullsFirst?: readonly boolean[],
): Uint8Array {
  const w = WRITER;
  w.reset();
  for (let i = 0; i < types.length; i++) {
    const desc = orders[i] === 'desc';
    encodeColumn(w, types[i], row[i], desc, nullsFirst?.[i] ?? desc);
  }
  return w.finish();
}

/** Appends one column's encoding to `w`. */
export function encodeColumn(w: ByteWriter, type: DataType, d: Datum, desc: boolean, nullsFirst: boolean): void {
  if (d === null) {
    w.u8(nullsFirst ? FLAG_NULL_FIRST : FLAG_NULL_LAST);
    return;
  }
  w.u8(FLAG_VALUE);
  const start = w.pos;
  encodeValue(w, type, d);
  if (desc) {
    const buf = w.buf;
    for (let p = start; p < w.pos; p++) buf[p] ^= 0xff;
  }
}

function encodeValue(w: ByteWriter, type: DataType, d: Datum): void {
  switch (type) {
    case 'boolean': return w.u8(d ? 1 : 0);
    case 'smallint': return w.u16(((d as number) ^ 0x8000) & 0xffff);
    case 'integer':
    case 'date': return w.u32(((d as number) ^ 0x80000000) >>> 0);
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone': return w.u64(BigInt.asUintN(64, d as bigint) ^ SIGN64);
    case 'real': return encodeFloat(w, d as number, 4);
    case 'double precision': return encodeFloat(w, d as number, 8);
    case 'numeric': return encodeDecimal(w, d as Decimal);
    case 'character varying':
    case 'jsonb': {
      const start = w.pos;
      w.utf8(d as string);
      return escapeFrom(w, start);
    }
    case 'bytea': {
      const start = w.pos;
      w.bytes(d as Uint8Array);
      return escapeFrom(w, start);
    }
    case 'interval': {
      const span = (d as Interval).span();
      w.u64(BigInt.asUintN(64, span >> 64n) ^ SIGN64);
      return w.u64(BigInt.asUintN(64, span));
    }
  }
}

const SIGN64 = 1n << 63n;

function encodeFloat(w: ByteWriter, v: number, width: 4 | 8): void {
  if (v === 0) v = 0;
  if (Number.isNaN(v)) v = NaN;
  const start = w.pos;
  if (width === 4) w.f32(v);
  else w.f64(v);
  const buf = w.buf;
  if (buf[start] & 0x80) {
    for (let p = start; p < start + width; p++) buf[p] ^= 0xff;
  } else {
    buf[start] |= 0x80;
  }
}

/** Rewrites bytes written since `start` with 0x00 -> 0x00 0xFF, then appends 0x00 0x00. */
function escapeFrom(w: ByteWriter, start: number): void {
  const end = w.pos;
  let zeros = 0;
  for (let p = start; p < end; p++) if (w.buf[p] === 0) zeros++;
  if (zeros > 0) {
    w.ensure(zeros);
    const buf = w.buf;
    // Shift right to left so the source is read before it is overwritten.
    let dst = end + zeros - 1;
    for (let src = end - 1; src >= start; src--) {
      if (buf[src] === 0) {
        buf[dst--] = 0xff;
        buf[dst--] = 0x00;
      } else {
        buf[dst--] = buf[src];
      }
    }
    w.pos = end + zeros;
  }
  w.u8(0);
  w.u8(0);
}

function encodeDecimal(w: ByteWriter, d: Decimal): void {
  if (d.kind !== 'finite') {
    w.u8(d.kind === 'nan' ? 6 : d.kind === 'inf' ? 5 : 1);
    return;
  }
  if (d.mantissa === 0n) {
    w.u8(3);
    return;
  }
  const neg = d.mantissa < 0n;
  w.u8(neg ? 2 : 4);
  const start = w.pos;
  let digits = (neg ? -d.mantissa : d.mantissa).toString();
  const exponent = digits.length - d.scale;
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  w.u32((exponent ^ 0x80000000) >>> 0);
  for (let i = 0; i < digits.length; i += 2) {
    const a = digits.charCodeAt(i) - 48;
    const b = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 48 : 0;
    w.u8(1 + a * 10 + b);
  }
  w.u8(0);
  if (neg) {
    const buf = w.buf;
    for (let p = start; p < w.pos; p++) buf[p] ^= 0xff;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding.

/** A cursor that un-inverts desc columns as it reads. */
class KeyCursor {
  pos = 0;
  mask = 0;
  private readonly scratch = new Uint8Array(8);
  private readonly scratchView = new DataView(this.scratch.buffer);

  constructor(private readonly buf: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error(`corrupted memcomparable key: truncated at offset ${this.pos}`);
    return this.buf[this.pos++] ^ this.mask;
  }

  /** Reads `n` bytes (un-inverted) into the scratch view. */
  fixed(n: number): DataView {
    for (let i = 0; i < n; i++) this.scratch[i] = this.byte();
    return this.scratchView;
  }

  escaped(): Uint8Array {
    const out: number[] = [];
    for (;;) {
      const b = this.byte();
      if (b !== 0) {
        out.push(b);
        continue;
      }
      const next = this.byte();
      if (next === 0) return Uint8Array.from(out);
      if (next !== 0xff) throw new Error(`corrupted memcomparable key: bad escape at offset ${this.pos - 1}`);
      out.push(0);
    }
  }
}

const UTF8_DECODER = new TextDecoder();

export function decodeMemcomparable(types: readonly DataType[], orders: readonly SortOrder[], bytes: Uint8Array): Datum[] {
  const c = new KeyCursor(bytes);
  const out = new Array<Datum>(types.length);
  for (let i = 0; i < types.length; i++) {
    c.mask = 0;
    const flag = c.byte();
    if (flag === FLAG_NULL_FIRST || flag === FLAG_NULL_LAST) {
      out[i] = null;
      continue;
    }
    if (flag !== FLAG_VALUE) throw new Error(`corrupted memcomparable key: bad null flag ${flag} at column ${i}`);
    c.mask = orders[i] === 'desc' ? 0xff : 0;
    out[i] = decodeValue(c, types[i]);
  }
  return out;
}

function decodeValue(c: KeyCursor, type: DataType): Datum {
  switch (type) {
    case 'boolean': return c.byte() === 1;
    case 'smallint': return ((c.fixed(2).getUint16(0) ^ 0x8000) << 16) >> 16;
    case 'integer':
    case 'date': return (c.fixed(4).getUint32(0) ^ 0x80000000) | 0;
    case 'bigint':
    case 'time without time zone':
    case 'timestamp without time zone':
    case 'timestamp with time zone': return BigInt.asIntN(64, c.fixed(8).getBigUint64(0) ^ SIGN64);
    case 'real': return decodeFloat(c, 4);
    case 'double precision': return decodeFloat(c, 8);
    case 'numeric': return decodeDecimal(c);
    case 'character varying':
    case 'jsonb': return UTF8_DECODER.decode(c.escaped());
    case 'bytea': return c.escaped();
    case 'interval': {
      const hi = BigInt.asIntN(64, c.fixed(8).getBigUint64(0) ^ SIGN64);
      const lo = c.fixed(8).getBigUint64(0);
      const span = (hi << 64n) | lo;
      let days = span / MICROS_PER_DAY;
      let micros = span % MICROS_PER_DAY;
      if (micros < 0n) {
        days -= 1n;
        micros += MICROS_PER_DAY;
      }
      return new Interval(0, Number(days), micros);
    }
  }
}

function decodeFloat(c: KeyCursor, width: 4 | 8): number {
  const v = c.fixed(width);
  if (v.getUint8(0) & 0x80) v.setUint8(0, v.getUint8(0) & 0x7f);
  else for (let i = 0; i < width; i++) v.setUint8(i, ~v.getUint8(i) & 0xff);
  return width === 4 ? v.getFloat32(0) : v.getFloat64(0);
}

function decodeDecimal(c: KeyCursor): Decimal {
  const tag = c.byte();
  switch (tag) {
    case 1: return Decimal.NEG_INFINITY;
    case 3: return Decimal.ZERO;
    case 5: return Decimal.INFINITY;
    case 6: return Decimal.NAN;
    case 2:
    case 4: break;
    default: throw new Error(`corrupted memcomparable key: bad numeric tag ${tag}`);
  }
  const neg = tag === 2;
  if (neg) c.mask ^= 0xff;
  const exponent = (c.fixed(4).getUint32(0) ^ 0x80000000) | 0;
  let digits = '';
  for (;;) {
    const b = c.byte();
    if (b === 0) break;
    const pair = b - 1;
    digits += String.fromCharCode(48 + Math.floor(pair / 10), 48 + (pair % 10));
  }
  if (neg) c.mask ^= 0xff;
  if (digits.endsWith('0')) digits = digits.slice(0, -1);
  const scale = digits.length - exponent;
  let mantissa = BigInt(digits);
  if (neg) mantissa = -mantissa;
  return scale >= 0 ? Decimal.of(mantissa, scale) : Decimal.of(mantissa * pow10(-scale), 0);
}
