import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccumulator, resolveAgg, type AggFuncName } from './aggregate.ts';
import type { DataType } from '../types/data-type.ts';
import { Decimal } from '../types/decimal.ts';
import { DbError } from '../error/db-error.ts';
import { encodeRow } from '../row/row-codec.ts';

test('aggregate return types follow PG', () => {
  const cases: [AggFuncName, DataType | null, DataType][] = [
    ['count', null, 'bigint'], ['count_star', null, 'bigint'], ['count', 'character varying', 'bigint'],
    ['sum', 'smallint', 'bigint'], ['sum', 'integer', 'bigint'], ['sum', 'bigint', 'numeric'],
    ['sum', 'numeric', 'numeric'], ['sum', 'real', 'real'], ['sum', 'double precision', 'double precision'],
    ['sum', 'interval', 'interval'],
    ['avg', 'integer', 'numeric'], ['avg', 'bigint', 'numeric'], ['avg', 'numeric', 'numeric'],
    ['avg', 'real', 'double precision'], ['avg', 'double precision', 'double precision'],
    ['min', 'character varying', 'character varying'], ['max', 'date', 'date'],
  ];
  for (const [name, arg, want] of cases) assert.equal(resolveAgg(name, arg).returnType, want, `${name}(${arg})`);
  assert.throws(() => resolveAgg('sum', 'character varying'), (e: unknown) => e instanceof DbError && e.code === '42883'
    && e.message === 'function sum(character varying) does not exist');
  assert.throws(() => resolveAgg('min', 'boolean'), (e: unknown) => e instanceof DbError && e.code === '42883');
});

test('sum retracts to NULL when no non-null rows remain', () => {
  const acc = createAccumulator('sum', 'integer');
  assert.equal(acc.output(), null);
  acc.apply('insert', 5);
  acc.apply('insert', null);
  acc.apply('insert', 7);
  assert.equal(acc.output(), 12n);
  acc.apply('delete', 5);
  assert.equal(acc.output(), 7n);
  acc.apply('delete', 7);
  assert.equal(acc.output(), null);
  acc.apply('insert', 0);
  assert.equal(acc.output(), 0n);
});

test('sum state survives encode/decode; sum(bigint) is exact numeric', () => {
  const acc = createAccumulator('sum', 'bigint');
  acc.apply('insert', 9223372036854775807n);
  acc.apply('insert', 9223372036854775807n);
  assert.equal(String(acc.output()), '18446744073709551614');
  const again = createAccumulator('sum', 'bigint');
  again.decodeState(acc.encodeState());
  assert.equal(String(again.output()), '18446744073709551614');
  again.apply('delete', 9223372036854775807n);
  again.apply('delete', 9223372036854775807n);
  assert.equal(again.output(), null);

  const n = createAccumulator('sum', 'numeric');
  n.apply('insert', Decimal.parse('1.10'));
  n.apply('insert', Decimal.parse('2'));
  const n2 = createAccumulator('sum', 'numeric');
  n2.decodeState(n.encodeState());
  assert.equal(String(n2.output()), '3.10');
});

test('sum(int) overflowing bigint errors on output', () => {
  const acc = createAccumulator('sum', 'integer');
  acc.decodeState(encodeRow(acc.stateTypes, [Decimal.parse('9223372036854775807'), 1n]));
  assert.equal(acc.output(), 9223372036854775807n);
  acc.apply('insert', 1);
  assert.throws(() => acc.output(), (e: unknown) => e instanceof DbError && e.code === '22003' && e.message === 'bigint out of range');
});

test('count and count(*)', () => {
  const c = createAccumulator('count', 'integer');
  const star = createAccumulator('count_star', null);
  for (const v of [1, null, 3]) {
    if (v !== null) c.apply('insert', v);
    star.apply('insert', v);
  }
  assert.equal(c.output(), 2n);
  assert.equal(star.output(), 3n);
  star.apply('delete', null);
  const back = createAccumulator('count_star', null);
  back.decodeState(star.encodeState());
  assert.equal(back.output(), 2n);
});

test('min/max with retraction', () => {
  const mx = createAccumulator('max', 'integer');
  for (const v of [3, 9, 9, 1]) mx.apply('insert', v);
  assert.equal(mx.output(), 9);
  mx.apply('delete', 9);
  assert.equal(mx.output(), 9);
  mx.apply('delete', 9);
  assert.equal(mx.output(), 3);
  const mn = createAccumulator('min', 'integer');
  mn.decodeState(mx.encodeState());
  assert.equal(mn.output(), 1);
  mn.apply('delete', 1);
  mn.apply('delete', 3);
  assert.equal(mn.output(), null);
});
