import { currentTimeZone, localToUtc } from './time-zone.ts';
import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import { Decimal } from './decimal.ts';
import { Interval, MICROS_PER_DAY, MICROS_PER_SECOND } from './interval.ts';
import { compareStrings } from './compare.ts';
import {
  DATE_NEG_INFINITY, DATE_POS_INFINITY, parseDateTime, parseTimeOfDay, TIMESTAMP_NEG_INFINITY,
  TIMESTAMP_POS_INFINITY,
} from './datetime.ts';

/** Parses PostgreSQL input syntax for `type`. Throws DbError with PG's SQLSTATE and message. */
export function parseDatum(type: DataType, text: string): Datum {
  switch (type) {
    case 'boolean': return parseBool(text);
    case 'smallint': return Number(parseInteger(text, 'smallint', -32768n, 32767n));
    case 'integer': return Number(parseInteger(text, 'integer', -2147483648n, 2147483647n));
    case 'bigint': return parseInteger(text, 'bigint', -9223372036854775808n, 9223372036854775807n);
    case 'real': return parseFloat4(text);
    case 'double precision': return parseFloat8(text);
    case 'numeric': return Decimal.parse(text);
    case 'character varying': return text;
    case 'bytea': return parseBytea(text);
    case 'date': return parseDate(text);
    case 'time without time zone': return parseTime(text);
    case 'timestamp without time zone': return parseTimestamp(text, false);
    case 'timestamp with time zone': return parseTimestamp(text, true);
    case 'interval': return Interval.parse(text);
    case 'jsonb': return normalizeJson(text);
  }
}

function invalidSyntax(typeName: string, text: string): DbError {
  return new DbError(SqlState.InvalidTextRepresentation, `invalid input syntax for type ${typeName}: "${text}"`);
}

const INT_RE = /^\s*[+-]?\d+\s*$/;

export function parseInteger(text: string, typeName: string, min: bigint, max: bigint): bigint {
  if (!INT_RE.test(text)) throw invalidSyntax(typeName, text);
  const v = BigInt(text.trim());
  if (v < min || v > max) {
    throw new DbError(SqlState.NumericValueOutOfRange, `value "${text}" is out of range for type ${typeName}`);
  }
  return v;
}

const BOOL_WORDS: [string, boolean, number][] = [
  ['true', true, 1], ['yes', true, 1], ['on', true, 2], ['false', false, 1], ['no', false, 1], ['off', false, 2],
];

/** PG parse_bool: any unambiguous prefix of true/yes/false/no, on/off, 1/0, case-insensitive. */
export function parseBool(text: string): boolean {
  const s = text.trim().toLowerCase();
  if (s === '1') return true;
  if (s === '0') return false;
  if (s.length > 0) {
    for (const [word, value, minLen] of BOOL_WORDS) {
      if (s.length >= minLen && word.startsWith(s)) return value;
    }
  }
  throw invalidSyntax('boolean', text);
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/;

function parseFloatText(text: string, typeName: string): number {
  const s = text.trim().toLowerCase();
  if (s === 'nan' || s === '+nan' || s === '-nan') return NaN;
  if (s === 'infinity' || s === '+infinity' || s === 'inf' || s === '+inf') return Infinity;
  if (s === '-infinity' || s === '-inf') return -Infinity;
  if (!FLOAT_RE.test(s)) throw invalidSyntax(typeName, text);
  const v = Number(s);
  const mantissa = s.split('e')[0];
  if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(mantissa))) {
    throw new DbError(SqlState.NumericValueOutOfRange, `"${text}" is out of range for type ${typeName}`);
  }
  return v;
}

export function parseFloat8(text: string): number {
  return parseFloatText(text, 'double precision');
}

export function parseFloat4(text: string): number {
  const v = parseFloatText(text, 'real');
  const f = Math.fround(v);
  if ((!Number.isFinite(f) && Number.isFinite(v)) || (f === 0 && v !== 0)) {
    throw new DbError(SqlState.NumericValueOutOfRange, `"${text}" is out of range for type real`);
  }
  return f;
}

export function parseDate(text: string): number {
  const p = parseDateTime(text, 'date');
  if (p === 'infinity') return DATE_POS_INFINITY;
  if (p === '-infinity') return DATE_NEG_INFINITY;
  return p.days;
}

export function parseTime(text: string): bigint {
  const s = text.trim().toLowerCase();
  // A leading date is allowed and ignored ('2020-01-01 10:00').
  const t = parseTimeOfDay(s.replace(/^\d+-\d+-\d+[ t]/, ''), text);
  if (t === null) throw new DbError(SqlState.InvalidDatetimeFormat, `invalid input syntax for type time: "${text}"`);
  const rest = s.replace(/^\d+-\d+-\d+[ t]/, '').slice(t.len).trim();
  if (rest.length > 0 && !/^(?:z|utc|[+-]\d{1,2}(?::?\d{2})?)$/.test(rest)) {
    throw new DbError(SqlState.InvalidDatetimeFormat, `invalid input syntax for type time: "${text}"`);
  }
  return t.micros;
}

export function parseTimestamp(text: string, withZone: boolean): bigint {
  const typeName = withZone ? 'timestamp with time zone' : 'timestamp';
  const p = parseDateTime(text, typeName);
  if (p === 'infinity') return TIMESTAMP_POS_INFINITY;
  if (p === '-infinity') return TIMESTAMP_NEG_INFINITY;
  const ts = BigInt(p.days) * MICROS_PER_DAY + p.timeMicros;
  // timestamp without time zone silently ignores a zone, like PG; timestamptz converts to UTC
  // from the text's offset or zone, else from the session's zone.
  if (!withZone) return ts;
  if (p.zoneOffsetSeconds !== null) return ts - BigInt(p.zoneOffsetSeconds) * MICROS_PER_SECOND;
  return localToUtc(p.zone ?? currentTimeZone(), ts);
}

/** `\x` hex format, or the traditional escape format (`\\`, `\ooo`). */
export function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x') || text.startsWith('\\X')) {
    const hex = text.slice(2).replace(/\s+/g, '');
    if (hex.length % 2 !== 0) {
      throw new DbError(SqlState.InvalidParameterValue, 'invalid hexadecimal data: odd number of digits');
    }
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) {
      const b = parseInt(hex.substr(i * 2, 2), 16);
      if (Number.isNaN(b) || !/^[0-9a-fA-F]{2}$/.test(hex.substr(i * 2, 2))) {
        throw new DbError(SqlState.InvalidParameterValue, `invalid hexadecimal digit: "${hex[i * 2]}"`);
      }
      out[i] = b;
    }
    return out;
  }
  const bytes: number[] = [];
  const utf8 = Buffer.from(text, 'utf8');
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8[i];
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    if (utf8[i + 1] === 0x5c) {
      bytes.push(0x5c);
      i++;
      continue;
    }
    const oct = utf8.subarray(i + 1, i + 4).toString('latin1');
    if (!/^[0-3][0-7][0-7]$/.test(oct)) throw invalidSyntax('bytea', text);
    bytes.push(parseInt(oct, 8));
    i += 3;
  }
  return Uint8Array.from(bytes);
}

// ---------------------------------------------------------------------------------------------
// jsonb: parsed and re-printed the way jsonb_out does (keys sorted by length then bytes, duplicate
// keys keep the last, `{"a": 1, "b": [1, 2]}` spacing, numbers printed as numeric).

/** Validates JSON text and returns PostgreSQL's jsonb text output for it. */
export function normalizeJson(text: string): string {
  const p = new JsonNormalizer(text);
  p.skipWs();
  const out = p.value();
  p.skipWs();
  if (p.pos !== text.length) throw p.error();
  return out;
}

class JsonNormalizer {
  pos = 0;
  constructor(private readonly s: string) {}

  error(): DbError {
    return new DbError(SqlState.InvalidTextRepresentation, 'invalid input syntax for type json', {
      detail: `Token at position ${this.pos} is invalid.`,
    });
  }

  skipWs(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  value(): string {
    const c = this.s[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return JSON.stringify(this.string());
    for (const lit of ['true', 'false', 'null']) {
      if (this.s.startsWith(lit, this.pos)) {
        this.pos += lit.length;
        return lit;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.pos));
    if (m === null) throw this.error();
    this.pos += m[0].length;
    return Decimal.parse(m[0]).toString();
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '"') {
        this.pos++;
        try {
          return JSON.parse(this.s.slice(start, this.pos)) as string;
        } catch {
          throw this.error();
        }
      }
      this.pos += c === '\\' ? 2 : 1;
    }
    throw this.error();
  }

  array(): string {
    this.pos++;
    this.skipWs();
    const items: string[] = [];
    if (this.s[this.pos] === ']') {
      this.pos++;
      return '[]';
    }
    for (;;) {
      this.skipWs();
      items.push(this.value());
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === ']') return '[' + items.join(', ') + ']';
      if (c !== ',') throw this.error();
    }
  }

  object(): string {
    this.pos++;
    this.skipWs();
    const entries = new Map<string, string>();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return '{}';
    }
    for (;;) {
      this.skipWs();
      if (this.s[this.pos] !== '"') throw this.error();
      const key = this.string();
      this.skipWs();
      if (this.s[this.pos++] !== ':') throw this.error();
      this.skipWs();
      entries.delete(key);
      entries.set(key, this.value());
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === '}') break;
      if (c !== ',') throw this.error();
    }
    const keys = [...entries.keys()].sort((a, b) => {
      const la = Buffer.byteLength(a);
      const lb = Buffer.byteLength(b);
      return la !== lb ? la - lb : compareStrings(a, b);
    });
    return '{' + keys.map((k) => JSON.stringify(k) + ': ' + entries.get(k)).join(', ') + '}';
  }
}
