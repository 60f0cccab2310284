import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canCast, castDatum } from './cast.ts';
import { Decimal } from './decimal.ts';
import { Interval } from './interval.ts';
import { formatDatum } from './format.ts';
import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import { DbError } from '../error/db-error.ts';

function throwsCode(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DbError, String(e));
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const D = (s: string) => Decimal.parse(s);

test('casts follow PG (shown as PG text of the result)', () => {
  const cases: [DataType, DataType, Datum, string | null][] = [
    ['integer', 'smallint', 123, '123'],
    ['double precision', 'integer', 2.5, '2'],
    ['double precision', 'integer', 3.5, '4'],
    ['double precision', 'integer', -2.5, '-2'],
    ['real', 'bigint', Math.fround(1.5), '2'],
    ['numeric', 'integer', D('2.5'), '3'],
    ['numeric', 'integer', D('-2.5'), '-3'],
    ['numeric', 'bigint', D('1.49'), '1'],
    ['integer', 'numeric', 7, '7'],
    ['bigint', 'numeric', 9223372036854775807n, '9223372036854775807'],
    ['double precision', 'numeric', 0.1, '0.1'],
    ['double precision', 'numeric', 1 / 3, '0.333333333333333'],
    ['real', 'numeric', Math.fround(0.1), '0.1'],
    ['real', 'double precision', Math.fround(0.1), '0.10000000149011612'],
    ['double precision', 'real', 0.1, '0.1'],
    ['numeric', 'double precision', D('1.25'), '1.25'],
    ['integer', 'double precision', 3, '3'],
    ['boolean', 'integer', true, '1'],
    ['integer', 'boolean', 5, 't'],
    ['integer', 'boolean', 0, 'f'],
    ['boolean', 'character varying', true, 'true'],
    ['double precision', 'character varying', 1e20, '1e+20'],
    ['numeric', 'character varying', D('0.10'), '0.10'],
    ['character varying', 'integer', ' 12 ', '12'],
    ['character varying', 'date', '2021-03-04', '2021-03-04'],
    ['date', 'timestamp without time zone', 1, '1970-01-02 00:00:00'],
    ['date', 'timestamp with time zone', 1, '1970-01-02 00:00:00+00'],
    ['timestamp without time zone', 'timestamp with time zone', 5n, '1970-01-01 00:00:00.000005+00'],
    ['timestamp with time zone', 'date', -1n, '1969-12-31'],
    ['timestamp without time zone', 'time without time zone', 86_400_000_001n, '00:00:00.000001'],
    ['time without time zone', 'interval', 3_600_000_000n, '01:00:00'],
    ['interval', 'time without time zone', new Interval(0, 1, 7_200_000_000n), '02:00:00'],
    ['jsonb', 'numeric', '1.50', '1.50'],
    ['jsonb', 'integer', '2', '2'],
    ['jsonb', 'boolean', 'true', 't'],
    ['integer', 'bigint', null, null],
  ];
  for (const [from, to, d, want] of cases) assert.equal(formatDatum(to, castDatum(from, to, d)), want, `${from} -> ${to}`);
});

test('cast overflow and invalid conversions', () => {
  throwsCode(() => castDatum('integer', 'smallint', 40000), '22003', 'smallint out of range');
  throwsCode(() => castDatum('bigint', 'integer', 2147483648n), '22003', 'integer out of range');
  throwsCode(() => castDatum('double precision', 'integer', NaN), '22003', 'integer out of range');
  throwsCode(() => castDatum('double precision', 'bigint', 9.3e18), '22003', 'bigint out of range');
  throwsCode(() => castDatum('numeric', 'integer', D('NaN')), '0A000', 'cannot convert NaN to integer');
  throwsCode(() => castDatum('numeric', 'smallint', D('32767.5')), '22003', 'smallint out of range');
  throwsCode(() => castDatum('double precision', 'real', 1e300), '22003', 'value out of range: overflow');
  throwsCode(() => castDatum('character varying', 'integer', 'x'), '22P02', 'invalid input syntax for type integer: "x"');
  throwsCode(() => castDatum('jsonb', 'numeric', '"a"'), '22023', 'cannot cast jsonb string to type numeric');
});

test('canCast contexts match pg_cast', () => {
  const t = (from: DataType, to: DataType, ctx: 'implicit' | 'assignment' | 'explicit') => canCast(from, to, ctx);
  assert.ok(t('smallint', 'integer', 'implicit'));
  assert.ok(t('integer', 'bigint', 'implicit'));
  assert.ok(t('bigint', 'numeric', 'implicit'));
  assert.ok(t('numeric', 'real', 'implicit'));
  assert.ok(t('real', 'double precision', 'implicit'));
  assert.ok(t('date', 'timestamp with time zone', 'implicit'));
  assert.ok(!t('bigint', 'integer', 'implicit'));
  assert.ok(t('bigint', 'integer', 'assignment'));
  assert.ok(t('double precision', 'numeric', 'assignment'));
  assert.ok(!t('double precision', 'numeric', 'implicit'));
  assert.ok(!t('integer', 'character varying', 'implicit'));
  assert.ok(t('integer', 'character varying', 'assignment'));
  assert.ok(!t('character varying', 'integer', 'assignment'));
  assert.ok(t('character varying', 'integer', 'explicit'));
  assert.ok(!t('boolean', 'integer', 'assignment'));
  assert.ok(t('boolean', 'integer', 'explicit'));
  assert.ok(!t('boolean', 'bigint', 'explicit'));
  assert.ok(!t('date', 'integer', 'explicit'));
  assert.ok(t('timestamp with time zone', 'timestamp without time zone', 'assignment'));
});
