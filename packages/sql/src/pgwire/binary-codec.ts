import {
  DbError, Decimal, Interval, SqlState, formatDatum, parseDatum, type DataType, type Datum,
} from '@tributary/common';

/**
 * PostgreSQL binary send/receive formats, converted from and to the text form pgwire already
 * carries (results arrive as PostgreSQL text output; parameters leave as text literals):
 *
 *   bool   1 byte              int2/int4/int8, float4/float8   big-endian
 *   date   int32 days since 2000-01-01
 *   time, timestamp[tz]        int64 µs (since midnight / since 2000-01-01 00:00 UTC)
 *   interval                   int64 µs, int32 days, int32 months
 *   numeric                    int16 ndigits, int16 weight, int16 sign, int16 dscale,
 *                              ndigits × int16 base-10000 digits (weight = exponent of the first)
 *   text, varchar, json        UTF-8 bytes;  jsonb: version byte 1 then UTF-8;  bytea: raw bytes
 */

const PG_EPOCH_DAYS = 10957;
const PG_EPOCH_MICROS = 946684800000000n;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Type OIDs with a binary codec here, and the DataType whose text form they use. */
const OID_TYPES: Record<number, DataType> = {
  16: 'boolean', 21: 'smallint', 23: 'integer', 20: 'bigint', 700: 'real', 701: 'double precision',
  1700: 'numeric', 25: 'character varying', 1043: 'character varying', 1042: 'character varying',
  19: 'character varying', 17: 'bytea', 1082: 'date', 1083: 'time without time zone',
  1114: 'timestamp without time zone', 1184: 'timestamp with time zone', 1186: 'interval',
  3802: 'jsonb', 114: 'jsonb',
};

/** The DataType of a parameter / column type OID, or undefined for OIDs we do not know (0 included). */
export function dataTypeOfOid(oid: number): DataType | undefined {
  return OID_TYPES[oid];
}

function unsupported(oid: number): DbError {
  return new DbError(SqlState.FeatureNotSupported, `binary format for type oid ${oid} is not supported`);
}

/** The binary send format of a value given in PostgreSQL text output form. */
export function encodeBinary(oid: number, text: string): Buffer {
  const type = OID_TYPES[oid];
  if (type === undefined) throw unsupported(oid);
  if (type === 'character varying') return Buffer.from(text, 'utf8');
  if (type === 'jsonb') return oid === 114 ? Buffer.from(text, 'utf8') : Buffer.concat([Buffer.from([1]), Buffer.from(text, 'utf8')]);
  return encodeDatum(oid, type, parseDatum(type, text));
}

function encodeDatum(oid: number, type: DataType, d: Datum): Buffer {
  const b = Buffer.alloc(type === 'interval' ? 16 : 8);
  switch (type) {
    case 'boolean': return Buffer.from([d ? 1 : 0]);
    case 'smallint': b.writeInt16BE(d as number); return b.subarray(0, 2);
    case 'integer': b.writeInt32BE(d as number); return b.subarray(0, 4);
    case 'bigint': b.writeBigInt64BE(d as bigint); return b;
    case 'real': b.writeFloatBE(d as number); return b.subarray(0, 4);
    case 'double precision': b.writeDoubleBE(d as number); return b;
    case 'bytea': return Buffer.from(d as Uint8Array);
    case 'date': b.writeInt32BE(shiftDate(d as number, -PG_EPOCH_DAYS)); return b.subarray(0, 4);
    case 'time without time zone': b.writeBigInt64BE(d as bigint); return b;
    case 'timestamp without time zone':
    case 'timestamp with time zone': b.writeBigInt64BE(shiftTimestamp(d as bigint, -PG_EPOCH_MICROS)); return b;
    case 'interval': {
      const iv = d as Interval;
      b.writeBigInt64BE(iv.micros, 0);
      b.writeInt32BE(iv.days, 8);
      b.writeInt32BE(iv.months, 12);
      return b;
    }
    case 'numeric': return encodeNumeric((d as Decimal).toString());
    default: throw unsupported(oid);
  }
}

/** Infinity sentinels (int32 / int64 extremes) are kept, other values shifted between epochs. */
function shiftDate(days: number, delta: number): number {
  return days === 2147483647 || days === -2147483648 ? days : days + delta;
}

function shiftTimestamp(micros: bigint, delta: bigint): bigint {
  return micros === INT64_MAX || micros === INT64_MIN ? micros : micros + delta;
}

/** PG's numeric_send of a plain decimal text (`-12.3400`, `NaN`, `Infinity`). */
export function encodeNumeric(text: string): Buffer {
  const head = (ndigits: number, weight: number, sign: number, dscale: number): Buffer => {
    const b = Buffer.alloc(8 + ndigits * 2);
    b.writeInt16BE(ndigits, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(sign, 4);
    b.writeInt16BE(dscale, 6);
    return b;
  };
  if (text === 'NaN') return head(0, 0, 0xc000, 0);
  if (text === 'Infinity') return head(0, 0, 0xd000, 0);
  if (text === '-Infinity') return head(0, 0, 0xf000, 0);
  const negative = text.startsWith('-');
  const [intText, fracText = ''] = (negative ? text.slice(1) : text).split('.');
  const intDigits = intText.replace(/^0+/, '');
  const intPadded = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, '0');
  const fracPadded = fracText.padEnd(Math.ceil(fracText.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const digits = groups.slice(first, last);
  const b = head(digits.length, digits.length === 0 ? 0 : weight, negative && digits.length > 0 ? 0x4000 : 0, fracText.length);
  digits.forEach((g, i) => b.writeInt16BE(g, 8 + i * 2));
  return b;
}

/** PG's numeric_recv, as decimal text. */
export function decodeNumeric(b: Buffer): string {
  if (b.length < 8) throw badBinary('numeric');
  const ndigits = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  if (b.length < 8 + ndigits * 2) throw badBinary('numeric');
  const digit = (i: number): number => (i >= 0 && i < ndigits ? b.readInt16BE(8 + i * 2) : 0);
  let intPart = '';
  for (let i = 0; i <= weight; i++) intPart += i === 0 ? String(digit(i)) : String(digit(i)).padStart(4, '0');
  intPart = intPart.replace(/^0+(?=\d)/, '') || '0';
  let frac = '';
  for (let i = weight + 1; frac.length < dscale; i++) frac += String(digit(i)).padStart(4, '0');
  frac = frac.slice(0, dscale);
  const body = dscale > 0 ? `${intPart}.${frac}` : intPart;
  return sign === 0x4000 && /[1-9]/.test(body) ? `-${body}` : body;
}

function badBinary(what: string): DbError {
  return new DbError(SqlState.InvalidParameterValue, `incorrect binary data format in bind parameter (${what})`);
}

/** A binary-format parameter as PostgreSQL text input for its type. */
export function decodeBinary(oid: number, b: Buffer): string {
  const type = OID_TYPES[oid];
  if (type === undefined) throw unsupported(oid);
  const need = (n: number): void => {
    if (b.length !== n) throw badBinary(type);
  };
  switch (type) {
    case 'character varying': return b.toString('utf8');
    case 'jsonb': return oid === 3802 && b[0] === 1 ? b.subarray(1).toString('utf8') : b.toString('utf8');
    case 'boolean': need(1); return b[0] ? 'true' : 'false';
    case 'smallint': need(2); return String(b.readInt16BE(0));
    case 'integer': need(4); return String(b.readInt32BE(0));
    case 'bigint': need(8); return String(b.readBigInt64BE(0));
    case 'real': need(4); return floatText(b.readFloatBE(0));
    case 'double precision': need(8); return floatText(b.readDoubleBE(0));
    case 'numeric': return decodeNumeric(b);
    case 'bytea': return `\\x${b.toString('hex')}`;
    case 'date': need(4); return formatDatum('date', shiftDate(b.readInt32BE(0), PG_EPOCH_DAYS))!;
    case 'time without time zone': need(8); return formatDatum(type, b.readBigInt64BE(0))!;
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      need(8);
      return formatDatum(type, shiftTimestamp(b.readBigInt64BE(0), PG_EPOCH_MICROS))!;
    case 'interval':
      need(16);
      return formatDatum(type, new Interval(b.readInt32BE(12), b.readInt32BE(8), b.readBigInt64BE(0)))!;
    default: throw unsupported(oid);
  }
}

function floatText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}
