import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from './decimal.ts';
import { DbError } from '../error/db-error.ts';

const D = (s: string) => Decimal.parse(s);

test('division scale follows PG select_div_scale', () => {
  const cases: [string, string, string][] = [
    ['3', '2', '1.5000000000000000'],
    ['10', '3', '3.3333333333333333'],
    ['1', '3', '0.33333333333333333333'],
    ['2', '3', '0.66666666666666666667'],
    ['10', '4', '2.5000000000000000'],
    ['100000', '3', '33333.333333333333'],
    ['1', '1', '1.00000000000000000000'],
    ['9999', '1', '9999.0000000000000000'],
    ['10000', '1', '10000.0000000000000000'],
    ['100000', '1', '100000.000000000000'],
    ['1.5', '0.5', '3.0000000000000000'],
    ['-7', '2', '-3.5000000000000000'],
    ['2', '-3', '-0.66666666666666666667'],
    ['0', '5', '0.00000000000000000000'],
    ['1.000000000000000000001', '1', '1.000000000000000000001'],
    ['12345678901234567890', '7', '1763668414462081127'],
  ];
  for (const [a, b, want] of cases) assert.equal(D(a).div(D(b)).toString(), want, `${a} / ${b}`);
});

test('add/sub/mul scales and exactness', () => {
  assert.equal(D('0.10').add(D('1')).toString(), '1.10');
  assert.equal(D('1.5').sub(D('1.25')).toString(), '0.25');
  assert.equal(D('1.50').mul(D('2.0')).toString(), '3.000');
  assert.equal(D('0.1').add(D('0.2')).toString(), '0.3');
  assert.equal(D('99999999999999999999').add(D('1')).toString(), '100000000000000000000');
  assert.equal(D('-0.5').mul(D('0.5')).toString(), '-0.25');
});

test('parse accepts PG syntax and keeps the scale', () => {
  const cases: [string, string][] = [
    ['0.10', '0.10'], ['  42  ', '42'], ['+1.5', '1.5'], ['-0.000', '0.000'], ['1e3', '1000'],
    ['1.5e-3', '0.0015'], ['1.50E+1', '15.0'], ['.5', '0.5'], ['5.', '5'], ['NaN', 'NaN'],
    ['infinity', 'Infinity'], ['-Infinity', '-Infinity'], ['007', '7'],
  ];
  for (const [text, want] of cases) assert.equal(D(text).toString(), want, text);
});

test('invalid numeric input is 22P02', () => {
  for (const bad of ['abc', '', '1.2.3', '1e', '--1', '1 2']) {
    assert.throws(() => D(bad), (e: unknown) => e instanceof DbError && e.code === '22P02'
      && e.message === `invalid input syntax for type numeric: "${bad}"`);
  }
});

test('division by zero is 22012', () => {
  assert.throws(() => D('1').div(D('0.00')), (e: unknown) => e instanceof DbError && e.code === '22012' && e.message === 'division by zero');
  assert.throws(() => D('1').mod(D('0')), (e: unknown) => e instanceof DbError && e.code === '22012');
});

test('mod, round, trunc, floor, ceil', () => {
  assert.equal(D('10').mod(D('3')).toString(), '1');
  assert.equal(D('-10.5').mod(D('3')).toString(), '-1.5');
  assert.equal(D('2.5').round().toString(), '3');
  assert.equal(D('-2.5').round().toString(), '-3');
  assert.equal(D('1.2345').round(2).toString(), '1.23');
  assert.equal(D('1.235').round(2).toString(), '1.24');
  assert.equal(D('1.2').round(3).toString(), '1.200');
  assert.equal(D('1250').round(-2).toString(), '1300');
  assert.equal(D('-1.7').trunc().toString(), '-1');
  assert.equal(D('-1.2').floor().toString(), '-2');
  assert.equal(D('1.2').ceil().toString(), '2');
  assert.equal(D('-1.2').ceil().toString(), '-1');
});

test('compare ignores scale; NaN greatest; infinities', () => {
  assert.equal(D('1.0').compare(D('1.00')), 0);
  assert.equal(D('-1').compare(D('0.5')), -1);
  assert.equal(D('NaN').compare(D('Infinity')), 1);
  assert.equal(D('NaN').compare(D('NaN')), 0);
  assert.equal(D('-Infinity').compare(D('-1e100')), -1);
  assert.equal(D('Infinity').add(D('-Infinity')).toString(), 'NaN');
  assert.equal(D('Infinity').mul(D('-2')).toString(), '-Infinity');
});

test('conversions', () => {
  assert.equal(Decimal.fromNumber(0.1).toString(), '0.1');
  assert.equal(Decimal.fromNumber(1 / 3).toString(), '0.333333333333333');
  assert.equal(Decimal.fromNumber(1e20).toString(), '100000000000000000000');
  assert.equal(Decimal.fromNumber(Math.fround(0.1), 6).toString(), '0.1');
  assert.equal(Decimal.fromBigInt(-5n).toString(), '-5');
  assert.equal(D('12.75').toNumber(), 12.75);
  assert.equal(D('-12.75').toBigIntTrunc(), -12n);
  assert.equal(D('-12.5').toBigIntRound(), -13n);
});
