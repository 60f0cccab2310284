import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCall, type ArgType } from './functions.ts';
import { evalExprOnRow } from './build-expr.ts';
import { Expr } from './expr.ts';
import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Decimal } from '../types/decimal.ts';
import { Interval } from '../types/interval.ts';
import { formatDatum } from '../types/format.ts';
import { DbError } from '../error/db-error.ts';

function throwsCode(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DbError, String(e));
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test('implicit cast resolution like PG', () => {
  const cases: [string, ArgType[], DataType[], DataType][] = [
    ['+', ['integer', 'bigint'], ['bigint', 'bigint'], 'bigint'],
    ['+', ['smallint', 'smallint'], ['smallint', 'smallint'], 'smallint'],
    ['+', ['smallint', 'integer'], ['integer', 'integer'], 'integer'],
    ['+', ['integer', 'numeric'], ['numeric', 'numeric'], 'numeric'],
    ['+', ['numeric', 'double precision'], ['double precision', 'double precision'], 'double precision'],
    ['*', ['integer', 'double precision'], ['double precision', 'double precision'], 'double precision'],
    ['+', ['real', 'integer'], ['double precision', 'double precision'], 'double precision'],
    ['+', ['real', 'real'], ['real', 'real'], 'real'],
    ['/', ['integer', 'integer'], ['integer', 'integer'], 'integer'],
    ['=', ['integer', 'numeric'], ['numeric', 'numeric'], 'boolean'],
    ['<', ['character varying', 'unknown'], ['character varying', 'character varying'], 'boolean'],
    ['=', ['integer', 'unknown'], ['integer', 'integer'], 'boolean'],
    ['=', ['unknown', 'unknown'], ['character varying', 'character varying'], 'boolean'],
    ['=', ['date', 'timestamp without time zone'], ['timestamp without time zone', 'timestamp without time zone'], 'boolean'],
    ['+', ['integer', 'unknown'], ['integer', 'integer'], 'integer'],
    ['+', ['timestamp without time zone', 'interval'], ['timestamp without time zone', 'interval'], 'timestamp without time zone'],
    ['-', ['date', 'date'], ['date', 'date'], 'integer'],
    ['||', ['character varying', 'integer'], ['character varying', 'integer'], 'character varying'],
    ['||', ['unknown', 'integer'], ['character varying', 'integer'], 'character varying'],
    ['coalesce', ['integer', 'bigint', 'unknown'], ['bigint', 'bigint', 'bigint'], 'bigint'],
    ['coalesce', ['unknown', 'integer'], ['integer', 'integer'], 'integer'],
    ['abs', ['integer'], ['integer'], 'integer'],
    ['round', ['numeric', 'integer'], ['numeric', 'integer'], 'numeric'],
    ['round', ['integer'], ['double precision'], 'double precision'],
    ['upper', ['unknown'], ['character varying'], 'character varying'],
    ['length', ['character varying'], ['character varying'], 'integer'],
    ['like', ['character varying', 'unknown'], ['character varying', 'character varying'], 'boolean'],
    ['neg', ['bigint'], ['bigint'], 'bigint'],
    ['and', ['boolean', 'boolean'], ['boolean', 'boolean'], 'boolean'],
    ['concat', ['integer', 'unknown', 'boolean'], ['character varying', 'character varying', 'character varying'], 'character varying'],
  ];
  for (const [func, args, wantArgs, ret] of cases) {
    const r = resolveCall(func, args);
    assert.deepEqual(r.argTypes, wantArgs, `${func}(${args.join(', ')})`);
    assert.equal(r.returnType, ret, `${func}(${args.join(', ')})`);
  }
});

test('no matching operator or function is 42883', () => {
  throwsCode(() => resolveCall('=', ['integer', 'boolean']), '42883', 'operator does not exist: integer = boolean');
  throwsCode(() => resolveCall('+', ['character varying', 'integer']), '42883', 'operator does not exist: character varying + integer');
  throwsCode(() => resolveCall('%', ['double precision', 'double precision']), '42883');
  throwsCode(() => resolveCall('neg', ['boolean']), '42883', 'operator does not exist: - boolean');
  throwsCode(() => resolveCall('foo', ['integer']), '42883', 'function foo(integer) does not exist');
  throwsCode(() => resolveCall('upper', ['integer']), '42883', 'function upper(integer) does not exist');
});

/** Evaluates func(args) after resolution, casting literal arguments like the binder does. */
function call(func: string, args: [DataType, Datum][]): Datum {
  const r = resolveCall(func, args.map(([t]) => t));
  const exprs = args.map(([t, v], i) => Expr.cast(Expr.literal(v, t), r.argTypes[i]));
  return evalExprOnRow(Expr.call(func, exprs, r.returnType), []);
}

function show(func: string, args: [DataType, Datum][]): string | null {
  const r = resolveCall(func, args.map(([t]) => t));
  return formatDatum(r.returnType, call(func, args));
}

test('arithmetic results match PG', () => {
  const I = (v: number): [DataType, Datum] => ['integer', v];
  const N = (v: string): [DataType, Datum] => ['numeric', Decimal.parse(v)];
  const F = (v: number): [DataType, Datum] => ['double precision', v];
  assert.equal(show('/', [I(7), I(2)]), '3');
  assert.equal(show('/', [I(-7), I(2)]), '-3');
  assert.equal(show('%', [I(-7), I(2)]), '-1');
  assert.equal(show('%', [I(-4), I(2)]), '0');
  assert.equal(show('/', [N('1'), I(3)]), '0.33333333333333333333');
  assert.equal(show('+', [I(1), N('0.10')]), '1.10');
  assert.equal(show('*', [I(2), F(1.5)]), '3');
  assert.equal(show('/', [F(1), F(3)]), '0.3333333333333333');
  assert.equal(show('+', [['bigint', 1n], I(2)]), '3');
  assert.equal(show('neg', [I(5)]), '-5');
  assert.equal(show('abs', [N('-1.50')]), '1.50');
  assert.equal(show('round', [N('2.5')]), '3');
  assert.equal(show('round', [F(2.5)]), '2');
  assert.equal(show('round', [N('1.2345'), I(2)]), '1.23');
  assert.equal(show('floor', [N('-1.5')]), '-2');
  assert.equal(show('ceil', [F(1.2)]), '2');
  assert.equal(show('mod', [I(10), I(3)]), '1');
});

test('arithmetic overflow and division by zero', () => {
  const I = (v: number): [DataType, Datum] => ['integer', v];
  const B = (v: bigint): [DataType, Datum] => ['bigint', v];
  const S = (v: number): [DataType, Datum] => ['smallint', v];
  throwsCode(() => call('+', [I(2147483647), I(1)]), '22003', 'integer out of range');
  throwsCode(() => call('*', [I(65536), I(65536)]), '22003', 'integer out of range');
  throwsCode(() => call('neg', [I(-2147483648)]), '22003', 'integer out of range');
  throwsCode(() => call('/', [I(-2147483648), I(-1)]), '22003', 'integer out of range');
  throwsCode(() => call('+', [B(9223372036854775807n), B(1n)]), '22003', 'bigint out of range');
  throwsCode(() => call('*', [B(-9223372036854775808n), B(-1n)]), '22003', 'bigint out of range');
  throwsCode(() => call('+', [S(32767), S(1)]), '22003', 'smallint out of range');
  throwsCode(() => call('abs', [S(-32768)]), '22003', 'smallint out of range');
  throwsCode(() => call('/', [I(1), I(0)]), '22012', 'division by zero');
  throwsCode(() => call('%', [B(1n), B(0n)]), '22012', 'division by zero');
  throwsCode(() => call('/', [['double precision', 1], ['double precision', 0]]), '22012', 'division by zero');
  throwsCode(() => call('/', [['numeric', Decimal.parse('1')], ['numeric', Decimal.parse('0')]]), '22012', 'division by zero');
  throwsCode(() => call('*', [['double precision', 1e300], ['double precision', 1e300]]), '22003', 'value out of range: overflow');
  assert.equal(call('%', [I(-2147483648), I(-1)]), 0);
});

test('comparison, boolean logic and null tests', () => {
  const B = (v: boolean | null): [DataType, Datum] => ['boolean', v];
  assert.equal(call('and', [B(true), B(null)]), null);
  assert.equal(call('and', [B(false), B(null)]), false);
  assert.equal(call('or', [B(true), B(null)]), true);
  assert.equal(call('or', [B(false), B(null)]), null);
  assert.equal(call('not', [B(null)]), null);
  assert.equal(call('is_null', [['integer', null]]), true);
  assert.equal(call('is_not_true', [B(null)]), true);
  assert.equal(call('=', [['integer', 1], ['numeric', Decimal.parse('1.0')]]), true);
  assert.equal(call('<', [['integer', 1], ['integer', null]]), null);
  assert.equal(call('=', [['double precision', NaN], ['double precision', NaN]]), true);
  assert.equal(call('is_distinct_from', [['integer', null], ['integer', null]]), false);
  assert.equal(call('is_distinct_from', [['integer', 1], ['integer', null]]), true);
  assert.equal(call('=', [['interval', Interval.parse('1 mon')], ['interval', Interval.parse('30 days')]]), true);
  assert.equal(call('coalesce', [['integer', null], ['integer', 3]]), 3);
  assert.equal(call('nullif', [['integer', 3], ['integer', 3]]), null);
  assert.equal(call('greatest', [['integer', 3], ['integer', null], ['integer', 7]]), 7);
  assert.equal(call('in', [['integer', 3], ['integer', 1], ['integer', null]]), null);
  assert.equal(call('in', [['integer', 3], ['integer', 3], ['integer', null]]), true);
});

test('string functions', () => {
  const V = (v: string): [DataType, Datum] => ['character varying', v];
  assert.equal(call('upper', [V('abé')]), 'ABÉ');
  assert.equal(call('length', [V('a\u{1f600}b')]), 3);
  assert.equal(call('||', [V('a'), ['integer', 1]]), 'a1');
  assert.equal(call('||', [V('a'), ['boolean', true]]), 'at');
  assert.equal(call('||', [V('a'), ['character varying', null]]), null);
  assert.equal(call('concat', [V('a'), ['integer', null], ['integer', 2]]), 'a2');
  assert.equal(call('like', [V('hello'), V('h%o')]), true);
  assert.equal(call('like', [V('hello'), V('h_x%')]), false);
  assert.equal(call('like', [V('50%'), V('50\\%')]), true);
  assert.equal(call('like', [V('a.c'), V('a.c')]), true);
  assert.equal(call('like', [V('abc'), V('a.c')]), false);
  assert.equal(call('ilike', [V('HeLLo'), V('hello')]), true);
  assert.equal(call('substr', [V('hello'), ['integer', 2], ['integer', 3]]), 'ell');
  assert.equal(call('substr', [V('hello'), ['integer', 0], ['integer', 3]]), 'he');
  assert.equal(call('replace', [V('aXbX'), V('X'), V('-')]), 'a-b-');
  assert.equal(call('btrim', [V('  x  ')]), 'x');
  assert.equal(call('strpos', [V('hello'), V('ll')]), 3);
});

test('date/time arithmetic', () => {
  const ts = (s: string): [DataType, Datum] => ['timestamp without time zone', BigInt(Date.parse(s + 'Z')) * 1000n];
  const iv = (s: string): [DataType, Datum] => ['interval', Interval.parse(s)];
  assert.equal(show('+', [ts('2021-01-31T00:00:00'), iv('1 mon')]), '2021-02-28 00:00:00');
  assert.equal(show('+', [ts('2020-01-31T10:00:00'), iv('1 mon 1 day 01:00:00')]), '2020-03-01 11:00:00');
  assert.equal(show('-', [ts('2021-01-02T01:00:00'), ts('2021-01-01T00:00:00')]), '1 day 01:00:00');
  assert.equal(show('-', [ts('2021-01-02T01:00:00'), iv('2 hours')]), '2021-01-01 23:00:00');
  assert.equal(show('+', [['date', 0], ['integer', 31]]), '1970-02-01');
  assert.equal(show('-', [['date', 10], ['date', 3]]), '7');
  assert.equal(show('*', [iv('1 day'), ['double precision', 1.5]]), '1 day 12:00:00');
});
