import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareDatum, compareStrings, datumEquals } from './compare.ts';
import { datumFromJson, datumToJson } from './datum-json.ts';
import { Decimal } from './decimal.ts';
import { Interval } from './interval.ts';
import { ALL_DATA_TYPES } from './data-type.ts';
import { RandomDatums } from './random-datum.ts';

test('compareDatum: PG value semantics', () => {
  assert.equal(compareDatum('double precision', NaN, Infinity), 1);
  assert.equal(compareDatum('double precision', NaN, NaN), 0);
  assert.equal(compareDatum('double precision', -0, 0), 0);
  assert.equal(compareDatum('numeric', Decimal.parse('1.0'), Decimal.parse('1.00')), 0);
  assert.equal(compareDatum('interval', Interval.parse('1 mon'), Interval.parse('30 days')), 0);
  assert.equal(compareDatum('integer', null, 5), 1);
  assert.equal(compareDatum('integer', 5, null), -1);
  assert.equal(compareDatum('integer', null, null), 0);
  assert.equal(compareDatum('boolean', false, true), -1);
  assert.equal(compareDatum('bytea', Uint8Array.from([1]), Uint8Array.from([1, 0])), -1);
  assert.ok(datumEquals('bigint', 5n, 5n));
});

test('strings compare by code point (UTF-8 byte order)', () => {
  assert.equal(compareStrings('\uffff', '\u{1f600}'), -1);
  assert.equal(compareStrings('a', 'ab'), -1);
  assert.equal(compareStrings('b', 'ab'), 1);
  const words = ['\u{1f600}', '\uffff', 'z', 'é', 'a', ''];
  const sorted = [...words].sort(compareStrings);
  const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual(sorted, byBytes);
});

test('datum JSON round trip is lossless', () => {
  const rnd = new RandomDatums(7);
  for (const type of ALL_DATA_TYPES) {
    for (let i = 0; i < 200; i++) {
      const d = rnd.datum(type);
      const back = datumFromJson(type, JSON.parse(JSON.stringify(datumToJson(type, d))));
      assert.equal(compareDatum(type, d, back), 0, type);
      if (d instanceof Decimal) assert.equal(String(back), d.toString());
      if (d instanceof Interval) assert.deepEqual(back, d);
      if (typeof d === 'number') assert.ok(Object.is(d, back), `${type} ${d}`);
    }
  }
});
