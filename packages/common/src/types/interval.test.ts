import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Interval } from './interval.ts';
import { DbError } from '../error/db-error.ts';

test('interval input and PG postgres-style output', () => {
  const cases: [string, string][] = [
    ['1 day', '1 day'],
    ['2 hours 3 minutes', '02:03:00'],
    ['01:02:03', '01:02:03'],
    ['1 year 2 mons', '1 year 2 mons'],
    ['4 seconds', '00:00:04'],
    ['1 day 2 hours 3 minutes 4 seconds', '1 day 02:03:04'],
    ['2 years', '2 years'],
    ['13 months', '1 year 1 mon'],
    ['-1 year 2 days -3 hours', '-1 years +2 days -03:00:00'],
    ['1 day -1 hours', '1 day -01:00:00'],
    ['1.5 days', '1 day 12:00:00'],
    ['1.5 months', '1 mon 15 days'],
    ['0.5 seconds', '00:00:00.5'],
    ['1 week', '7 days'],
    ['@ 1 day ago', '-1 days'],
    ['10', '00:00:10'],
    ['100 hours', '100:00:00'],
    ['0', '00:00:00'],
    ['1 millisecond', '00:00:00.001'],
    ['P1Y2M3DT4H5M6S', '1 year 2 mons 3 days 04:05:06'],
    ['3 days 01:02:03.25', '3 days 01:02:03.25'],
    ['1 decade', '10 years'],
    ['1 day 2', '1 day 00:00:02'],
  ];
  for (const [text, want] of cases) assert.equal(Interval.parse(text).toString(), want, text);
});

test('invalid interval input is 22007', () => {
  for (const bad of ['abc', '1 fortnight', '', 'day 1']) {
    assert.throws(() => Interval.parse(bad), (e: unknown) => e instanceof DbError && e.code === '22007'
      && e.message === `invalid input syntax for type interval: "${bad}"`, bad);
  }
});

test('compare uses 30-day months and 24-hour days', () => {
  const I = Interval.parse;
  assert.equal(I('1 mon').compare(I('30 days')), 0);
  assert.equal(I('1 day').compare(I('24 hours')), 0);
  assert.equal(I('1 day').compare(I('23 hours')), 1);
  assert.equal(I('-1 day').compare(I('1 second')), -1);
  assert.equal(I('1 year').compare(I('360 days')), 0);
});

test('arithmetic', () => {
  assert.equal(Interval.parse('1 mon').mulFloat(1.5).toString(), '1 mon 15 days');
  assert.equal(Interval.parse('1 day').add(Interval.parse('1 hour')).toString(), '1 day 01:00:00');
  assert.equal(Interval.parse('1 day').neg().toString(), '-1 days');
  assert.equal(Interval.fromJSON(Interval.parse('1 year 2 days 00:00:01.5').toJSON()).toString(), '1 year 2 days 00:00:01.5');
});
