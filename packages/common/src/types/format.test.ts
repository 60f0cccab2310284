import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDatum } from './format.ts';
import { parseDatum } from './parse.ts';
import { Decimal } from './decimal.ts';

test('double precision output matches PG (extra_float_digits = 1)', () => {
  const cases: [number, string][] = [
    [1e15, '1e+15'], [1e-5, '1e-05'], [1.5e20, '1.5e+20'], [0.1, '0.1'], [1 / 3, '0.3333333333333333'],
    [123456789012345, '123456789012345'], [1e14, '100000000000000'], [-0, '-0'], [0, '0'],
    [0.0001, '0.0001'], [0.00012, '0.00012'], [1.2e-5, '1.2e-05'], [100, '100'], [-1.5, '-1.5'],
    [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [NaN, 'NaN'], [1e100, '1e+100'],
    [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'], [0.1 + 0.2, '0.30000000000000004'],
    [123456789.125, '123456789.125'], [2 ** 53, '9.007199254740992e+15'], [1234567890123456, '1.234567890123456e+15'],
  ];
  for (const [v, want] of cases) assert.equal(formatDatum('double precision', v), want, String(v));
});

test('real output: shortest float32 digits, exponent from 1e+06', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'], [1 / 3, '0.33333334'], [1e6, '1e+06'], [123456, '123456'], [1.5, '1.5'],
    [3.4028234663852886e38, '3.4028235e+38'], [1e-5, '1e-05'], [-2.5, '-2.5'], [16777216, '1.6777216e+07'],
  ];
  for (const [v, want] of cases) assert.equal(formatDatum('real', Math.fround(v)), want, String(v));
});

test('other types', () => {
  assert.equal(formatDatum('boolean', true), 't');
  assert.equal(formatDatum('boolean', false), 'f');
  assert.equal(formatDatum('integer', null), null);
  assert.equal(formatDatum('bigint', -9223372036854775808n), '-9223372036854775808');
  assert.equal(formatDatum('numeric', Decimal.parse('0.10')), '0.10');
  assert.equal(formatDatum('bytea', Uint8Array.from([0, 171, 255])), '\\x00abff');
  assert.equal(formatDatum('date', 0), '1970-01-01');
  assert.equal(formatDatum('date', -719528), '0000-01-01'.replace('0000', '0001') + ' BC');
  assert.equal(formatDatum('time without time zone', 3_723_500_000n), '01:02:03.5');
  assert.equal(formatDatum('time without time zone', 0n), '00:00:00');
  assert.equal(formatDatum('timestamp without time zone', 0n), '1970-01-01 00:00:00');
  assert.equal(formatDatum('timestamp without time zone', -1n), '1969-12-31 23:59:59.999999');
  assert.equal(formatDatum('timestamp with time zone', 1_609_459_200_000_000n), '2021-01-01 00:00:00+00');
  assert.equal(formatDatum('jsonb', '{"a": 1}'), '{"a": 1}');
});

test('timestamps round trip through parse and format', () => {
  const cases: [string, string][] = [
    ['2021-04-01 12:34:56.789', '2021-04-01 12:34:56.789'],
    ['2000-02-29', '2000-02-29 00:00:00'],
    ['1999-12-31T23:59:59', '1999-12-31 23:59:59'],
    ['2021-01-01 00:00:00.1234565', '2021-01-01 00:00:00.123457'],
    ['0044-03-15 BC', '0044-03-15 00:00:00 BC'],
    ['10000-01-01', '10000-01-01 00:00:00'],
    ['infinity', 'infinity'],
  ];
  for (const [text, want] of cases) {
    assert.equal(formatDatum('timestamp without time zone', parseDatum('timestamp without time zone', text)), want, text);
  }
  const tz: [string, string][] = [
    ['2021-01-02 03:04:05+02', '2021-01-02 01:04:05+00'],
    ['2021-01-02 03:04:05+05:30', '2021-01-01 21:34:05+00'],
    ['2021-01-02T03:04:05Z', '2021-01-02 03:04:05+00'],
    ['2021-01-02 03:04:05-0800', '2021-01-02 11:04:05+00'],
    ['2021-01-02 03:04:05', '2021-01-02 03:04:05+00'],
    ['2021-01-02 03:04:05 UTC', '2021-01-02 03:04:05+00'],
  ];
  for (const [text, want] of tz) {
    assert.equal(formatDatum('timestamp with time zone', parseDatum('timestamp with time zone', text)), want, text);
  }
});
