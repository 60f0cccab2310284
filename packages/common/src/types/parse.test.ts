import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDatum } from './parse.ts';
import { formatDatum } from './format.ts';
import type { DataType } from './data-type.ts';
import { DbError } from '../error/db-error.ts';

function throwsCode(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DbError, String(e));
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test('round trips through PG text (parse then format)', () => {
  const cases: [DataType, string, string][] = [
    ['integer', ' 42 ', '42'], ['integer', '-2147483648', '-2147483648'], ['smallint', '+7', '7'],
    ['bigint', '9223372036854775807', '9223372036854775807'],
    ['double precision', '1.5', '1.5'], ['double precision', 'Infinity', 'Infinity'], ['double precision', '-inf', '-Infinity'],
    ['double precision', 'NaN', 'NaN'], ['double precision', '1e300', '1e+300'], ['double precision', ' .5 ', '0.5'],
    ['real', '0.1', '0.1'], ['real', '1e10', '1e+10'],
    ['boolean', 'true', 't'], ['boolean', 'YES', 't'], ['boolean', 'on', 't'], ['boolean', '1', 't'], ['boolean', 't', 't'],
    ['boolean', 'f', 'f'], ['boolean', ' no ', 'f'], ['boolean', 'off', 'f'], ['boolean', '0', 'f'],
    ['numeric', ' 1.50 ', '1.50'],
    ['date', '2021-02-28', '2021-02-28'], ['date', '2020-02-29 13:00', '2020-02-29'], ['date', 'epoch', '1970-01-01'],
    ['time without time zone', '13:05', '13:05:00'], ['time without time zone', '23:59:59.999999', '23:59:59.999999'],
    ['interval', '1 day 2 hours', '1 day 02:00:00'],
    ['bytea', '\\x00ff10', '\\x00ff10'], ['bytea', 'ab\\\\c', '\\x61625c63'], ['bytea', '\\101', '\\x41'],
    ['jsonb', '{"b":[1,2],"a":1}', '{"a": 1, "b": [1, 2]}'],
    ['jsonb', ' {"aa":1, "b":2, "a":{"x" : "y"}, "b":3} ', '{"a": {"x": "y"}, "b": 3, "aa": 1}'],
    ['jsonb', '[1.50, 1e2, -0, "\\u00e9", true, null]', '[1.50, 100, 0, "é", true, null]'],
    ['jsonb', '"a\\"b"', '"a\\"b"'],
    ['character varying', ' keep spaces ', ' keep spaces '],
  ];
  for (const [type, text, want] of cases) assert.equal(formatDatum(type, parseDatum(type, text)), want, `${type} ${text}`);
});

test('invalid input errors carry PG SQLSTATE and message', () => {
  throwsCode(() => parseDatum('integer', 'abc'), '22P02', 'invalid input syntax for type integer: "abc"');
  throwsCode(() => parseDatum('integer', '1.5'), '22P02', 'invalid input syntax for type integer: "1.5"');
  throwsCode(() => parseDatum('integer', '99999999999'), '22003', 'value "99999999999" is out of range for type integer');
  throwsCode(() => parseDatum('smallint', '32768'), '22003', 'value "32768" is out of range for type smallint');
  throwsCode(() => parseDatum('bigint', '9223372036854775808'), '22003', 'value "9223372036854775808" is out of range for type bigint');
  throwsCode(() => parseDatum('bigint', ''), '22P02', 'invalid input syntax for type bigint: ""');
  throwsCode(() => parseDatum('double precision', 'x1'), '22P02', 'invalid input syntax for type double precision: "x1"');
  throwsCode(() => parseDatum('double precision', '1e400'), '22003', '"1e400" is out of range for type double precision');
  throwsCode(() => parseDatum('real', '1e40'), '22003', '"1e40" is out of range for type real');
  throwsCode(() => parseDatum('boolean', 'maybe'), '22P02', 'invalid input syntax for type boolean: "maybe"');
  throwsCode(() => parseDatum('boolean', 'o'), '22P02');
  throwsCode(() => parseDatum('numeric', 'x'), '22P02', 'invalid input syntax for type numeric: "x"');
  throwsCode(() => parseDatum('timestamp without time zone', 'x'), '22007', 'invalid input syntax for type timestamp: "x"');
  throwsCode(() => parseDatum('timestamp with time zone', 'x'), '22007', 'invalid input syntax for type timestamp with time zone: "x"');
  throwsCode(() => parseDatum('date', '2021-13-01'), '22008', 'date/time field value out of range: "2021-13-01"');
  throwsCode(() => parseDatum('date', '2021-02-29'), '22008');
  throwsCode(() => parseDatum('date', 'yesterday-ish'), '22007', 'invalid input syntax for type date: "yesterday-ish"');
  throwsCode(() => parseDatum('time without time zone', '25:00'), '22008');
  throwsCode(() => parseDatum('jsonb', '{"a":}'), '22P02', 'invalid input syntax for type json');
  throwsCode(() => parseDatum('jsonb', '[1,]'), '22P02');
  throwsCode(() => parseDatum('jsonb', "{'a':1}"), '22P02');
  throwsCode(() => parseDatum('bytea', '\\x0'), '22023');
});

test('timestamp representation is microseconds since the Unix epoch', () => {
  assert.equal(parseDatum('timestamp without time zone', '1970-01-01 00:00:01'), 1_000_000n);
  assert.equal(parseDatum('timestamp without time zone', '2021-01-01 00:00:00+05'), 1_609_459_200_000_000n);
  assert.equal(parseDatum('timestamp with time zone', '2021-01-01 05:00:00+05'), 1_609_459_200_000_000n);
  assert.equal(parseDatum('date', '1969-12-31'), -1);
  assert.equal(parseDatum('time without time zone', '00:00:01.5'), 1_500_000n);
});
