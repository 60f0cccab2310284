import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRow, encodeRow } from './row-codec.ts';
import { ALL_DATA_TYPES } from '../types/data-type.ts';
import { Decimal } from '../types/decimal.ts';
import { Interval } from '../types/interval.ts';
import { RandomDatums } from '../types/random-datum.ts';

test('row codec round trips every type exactly', () => {
  const rnd = new RandomDatums(5);
  const types = [...ALL_DATA_TYPES, ...ALL_DATA_TYPES];
  for (let i = 0; i < 500; i++) {
    const row = types.map((t) => rnd.datum(t, 0.2));
    const back = decodeRow(types, encodeRow(types, row));
    assert.equal(back.length, row.length);
    for (let c = 0; c < row.length; c++) {
      const d = row[c];
      if (d instanceof Decimal) assert.equal(String(back[c]), d.toString());
      else if (d instanceof Interval || d instanceof Uint8Array) assert.deepEqual(back[c], d);
      else assert.ok(Object.is(back[c], d), `${types[c]}: ${String(d)} vs ${String(back[c])}`);
    }
  }
});

test('big numerics, empty rows, long strings', () => {
  const big = Decimal.parse('123456789012345678901234567890.123456789');
  assert.equal(String(decodeRow(['numeric'], encodeRow(['numeric'], [big]))[0]), big.toString());
  assert.deepEqual(decodeRow([], encodeRow([], [])), []);
  const s = 'x'.repeat(100_000) + '\u{1f600}';
  assert.equal(decodeRow(['character varying'], encodeRow(['character varying'], [s]))[0], s);
});

test('corrupt rows are rejected', () => {
  const bytes = encodeRow(['bigint', 'character varying'], [1n, 'hello']);
  assert.throws(() => decodeRow(['bigint', 'character varying'], bytes.subarray(0, bytes.length - 1)), /corrupted row/);
  assert.throws(() => decodeRow(['bigint'], bytes), /corrupted row/);
});
