import { castDatum, DbError, parseDatum, SqlState, type DataType, type Datum, type Interval } from '@tributary/common';

/**
 * The `datagen` connector (RisingWave's options):
 *
 *   connector = 'datagen'
 *   fields.<col>.kind = 'sequence' | 'random'        (default random)
 *   fields.<col>.start / .end                       (sequence; default 0 / unbounded)
 *   fields.<col>.min / .max / .seed / .length       (random; length for strings)
 *   fields.<col>.max_past                           (timestamp/timestamptz; default '1 day')
 *   datagen.rows.per.second                         (default 10, over all splits)
 *   datagen.split.num                               (default 1)
 *
 * Split `s` of `n` yields, at its offset `k`, sequence values `start + s + k*n` and random values
 * derived from (seed, column, s, k) only: replaying a split from a stored offset regenerates the
 * same rows, and splits never overlap. A split ends when a sequence column passes its `end`.
 * Timestamp columns are the exception (RisingWave's relative mode): the wall clock at generation
 * minus a random part of `max_past`, so an endless source has current event times.
 */
export interface DatagenConfig {
  rowsPerSecond: number;
  splitCount: number;
  fields: FieldGenerator[];
}

type FieldGenerator =
  | { kind: 'null'; type: DataType }
  | { kind: 'sequence'; type: DataType; start: bigint; end: bigint | null }
  | { kind: 'random'; type: DataType; min: number; max: number; seed: number; length: number }
  | { kind: 'recent'; type: DataType; maxPastMicros: bigint; seed: number };

const TIMESTAMP_TYPES: DataType[] = ['timestamp without time zone', 'timestamp with time zone'];

const INTEGER_TYPES: DataType[] = ['smallint', 'integer', 'bigint'];

export function parseDatagenOptions(columns: string[], types: DataType[], options: Record<string, string>): DatagenConfig {
  const num = (key: string, dflt: number): number => {
    const v = options[key];
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new DbError(SqlState.InvalidParameterValue, `option ${key} must be a number, got "${v}"`);
    return n;
  };
  for (const key of Object.keys(options)) {
    const m = /^fields\.(.+)\.(kind|start|end|min|max|seed|length|max_past|max_past_mode)$/.exec(key);
    if (m && !columns.includes(m[1])) throw new DbError(SqlState.UndefinedColumn, `option ${key} names column "${m[1]}", which does not exist`);
  }
  const fields = columns.map((col, i): FieldGenerator => {
    const type = types[i];
    if (col === '_row_id') return { kind: 'null', type }; // filled by the table's row id generator
    const kind = options[`fields.${col}.kind`] ?? 'random';
    if (kind === 'sequence') {
      if (!INTEGER_TYPES.includes(type)) throw new DbError(SqlState.InvalidParameterValue, `fields.${col}.kind = 'sequence' needs an integer column, "${col}" is ${type}`);
      const end = options[`fields.${col}.end`];
      return { kind, type, start: BigInt(options[`fields.${col}.start`] ?? '0'), end: end === undefined ? null : BigInt(end) };
    }
    if (kind !== 'random') throw new DbError(SqlState.InvalidParameterValue, `fields.${col}.kind must be 'sequence' or 'random', got '${kind}'`);
    if (TIMESTAMP_TYPES.includes(type)) {
      const text = options[`fields.${col}.max_past`] ?? '1 day';
      let maxPastMicros: bigint;
      try {
        maxPastMicros = (parseDatum('interval', text) as Interval).span();
      } catch {
        throw new DbError(SqlState.InvalidParameterValue, `fields.${col}.max_past must be an interval such as '5s', got '${text}'`);
      }
      return { kind: 'recent', type, maxPastMicros, seed: num(`fields.${col}.seed`, i + 1) };
    }
    return {
      kind, type,
      min: num(`fields.${col}.min`, 0),
      max: num(`fields.${col}.max`, type === 'smallint' ? 32767 : 1000),
      seed: num(`fields.${col}.seed`, i + 1),
      length: num(`fields.${col}.length`, 10),
    };
  });
  const rowsPerSecond = num('datagen.rows.per.second', 10);
  const splitCount = Math.max(1, Math.floor(num('datagen.split.num', 1)));
  if (rowsPerSecond <= 0) throw new DbError(SqlState.InvalidParameterValue, 'datagen.rows.per.second must be positive');
  return { rowsPerSecond, splitCount, fields };
}

/** Row `offset` of `split`, or null when the split is exhausted. */
export function datagenRow(cfg: DatagenConfig, split: number, offset: bigint): Datum[] | null {
  const row = new Array<Datum>(cfg.fields.length);
  for (let c = 0; c < cfg.fields.length; c++) {
    const f = cfg.fields[c];
    if (f.kind === 'null') {
      row[c] = null;
    } else if (f.kind === 'recent') {
      const past = f.maxPastMicros === 0n ? 0n : BigInt(mix(f.seed, c, split, offset)) % (f.maxPastMicros + 1n);
      row[c] = BigInt(Date.now()) * 1000n - past;
    } else if (f.kind === 'sequence') {
      const v = f.start + BigInt(split) + offset * BigInt(cfg.splitCount);
      if (f.end !== null && v > f.end) return null;
      row[c] = castDatum('bigint', f.type, v);
    } else {
      row[c] = randomValue(f, mix(f.seed, c, split, offset));
    }
  }
  return row;
}

function randomValue(f: Extract<FieldGenerator, { kind: 'random' }>, h: number): Datum {
  const unit = h / 0x1_0000_0000;
  switch (f.type) {
    case 'smallint':
    case 'integer':
      return Math.floor(f.min + unit * (f.max - f.min + 1));
    case 'bigint':
      return BigInt(Math.floor(f.min + unit * (f.max - f.min + 1)));
    case 'real':
      return Math.fround(f.min + unit * (f.max - f.min));
    case 'double precision':
      return f.min + unit * (f.max - f.min);
    case 'boolean':
      return (h & 1) === 1;
    case 'character varying':
      return randomLetters(h, f.length);
    default:
      return castDatum('double precision', f.type, f.min + unit * (f.max - f.min));
  }
}

/** Scratch bytes of `randomLetters`, grown to the longest string asked for. */
let letterBytes = Buffer.alloc(256);

/**
 * `length` lowercase letters derived from `h`. The letters go to a reused byte buffer and become
 * one flat string in one call: appending them one at a time built a rope of `length` pieces that
 * cost ~0.3 ms per 2 KB value to build and as much again to flatten at its first encoding.
 */
export function randomLetters(h: number, length: number): string {
  if (letterBytes.length < length) letterBytes = Buffer.alloc(Math.max(length, letterBytes.length * 2));
  const bytes = letterBytes;
  let x = h;
  for (let i = 0; i < length; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    bytes[i] = 97 + (x % 26);
  }
  return bytes.toString('latin1', 0, length);
}

/** A 32-bit hash of (seed, column, split, offset): splitmix-style mixing. */
function mix(seed: number, column: number, split: number, offset: bigint): number {
  let x = (seed * 0x9e3779b1) ^ (column * 0x85ebca6b) ^ (split * 0xc2b2ae35);
  x ^= Number(offset & 0xffffffffn);
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x ^= Number((offset >> 32n) & 0xffffffffn);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
