import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMemcomparable, encodeMemcomparable, type SortOrder } from './memcomparable.ts';
import { compareDatum } from '../types/compare.ts';
import { ALL_DATA_TYPES, type DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Decimal } from '../types/decimal.ts';
import { Interval } from '../types/interval.ts';
import { RandomDatums } from '../types/random-datum.ts';

function sign(x: number): number {
  return x < 0 ? -1 : x > 0 ? 1 : 0;
}

/** Expected order of one column: compareDatum with PG's default NULL placement. */
function expectedCompare(type: DataType, order: SortOrder, a: Datum, b: Datum, nullsFirst: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const c = compareDatum(type, a, b);
  return order === 'desc' ? -c || 0 : c;
}

test('byte order equals compareDatum order for every type, asc and desc', () => {
  const rnd = new RandomDatums(1234);
  for (const type of ALL_DATA_TYPES) {
    for (const order of ['asc', 'desc'] as const) {
      const values = Array.from({ length: 120 }, () => rnd.datum(type, 0.08));
      const keys = values.map((v) => encodeMemcomparable([type], [order], [v]));
      for (let i = 0; i < values.length; i++) {
        for (let j = 0; j < values.length; j++) {
          const want = expectedCompare(type, order, values[i], values[j], order === 'desc');
          assert.equal(sign(Buffer.compare(keys[i], keys[j])), want, `${type} ${order} ${String(values[i])} vs ${String(values[j])}`);
        }
        const back = decodeMemcomparable([type], [order], keys[i])[0];
        assert.equal(compareDatum(type, back, values[i]), 0, `${type} decode`);
      }
    }
  }
});

test('explicit nulls first/last', () => {
  const first = encodeMemcomparable(['integer'], ['asc'], [null], [true]);
  const last = encodeMemcomparable(['integer'], ['asc'], [null], [false]);
  const v = encodeMemcomparable(['integer'], ['asc'], [-2147483648], [true]);
  assert.equal(Buffer.compare(first, v), -1);
  assert.equal(Buffer.compare(last, v), 1);
  assert.equal(Buffer.compare(encodeMemcomparable(['integer'], ['desc'], [null]), encodeMemcomparable(['integer'], ['desc'], [5])), -1);
});

test('multi-column keys: order, prefix property, round trip', () => {
  const rnd = new RandomDatums(99);
  const types: DataType[] = ['character varying', 'integer', 'numeric', 'bytea'];
  const orders: SortOrder[] = ['asc', 'desc', 'asc', 'desc'];
  // Few distinct leading values so that later columns decide many comparisons.
  const rows = Array.from({ length: 150 }, () => types.map((t, c) =>
    c === 0 ? rnd.pick([null, 'a', '', 'a\u0000'] as Datum[]) : c === 1 ? rnd.pick([null, 1, 2]) : rnd.datum(t)));
  const keys = rows.map((r) => encodeMemcomparable(types, orders, r));
  for (let i = 0; i < rows.length; i++) {
    const full = keys[i];
    const prefix = encodeMemcomparable(types.slice(0, 2), orders.slice(0, 2), rows[i].slice(0, 2));
    assert.deepEqual(full.subarray(0, prefix.length), prefix);
    const back = decodeMemcomparable(types, orders, full);
    for (let c = 0; c < types.length; c++) assert.equal(compareDatum(types[c], back[c], rows[i][c]), 0);
    for (let j = 0; j < rows.length; j++) {
      let want = 0;
      for (let c = 0; c < types.length && want === 0; c++) {
        want = expectedCompare(types[c], orders[c], rows[i][c], rows[j][c], orders[c] === 'desc');
      }
      assert.equal(sign(Buffer.compare(full, keys[j])), want);
    }
  }
});

test('decoding returns canonical representatives', () => {
  const k = encodeMemcomparable(['numeric', 'interval', 'double precision'], ['asc', 'asc', 'asc'],
    [Decimal.parse('-12.3400'), Interval.parse('1 mon 1 hour'), -0]);
  const [n, iv, f] = decodeMemcomparable(['numeric', 'interval', 'double precision'], ['asc', 'asc', 'asc'], k);
  assert.equal(String(n), '-12.34');
  assert.equal(String(iv), '30 days 01:00:00');
  assert.ok(Object.is(f, 0));
  assert.deepEqual(encodeMemcomparable(['numeric'], ['asc'], [Decimal.parse('1.0')]), encodeMemcomparable(['numeric'], ['asc'], [Decimal.parse('1')]));
});

test('truncated key is reported as corruption', () => {
  const k = encodeMemcomparable(['bigint'], ['asc'], [5n]);
  assert.throws(() => decodeMemcomparable(['bigint'], ['asc'], k.subarray(0, 4)), /corrupted memcomparable key/);
});
