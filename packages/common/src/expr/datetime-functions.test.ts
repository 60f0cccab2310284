import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { resolveCall } from './functions.ts';
import { evalExprOnRow } from './build-expr.ts';
import { Expr } from './expr.ts';
import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { parseDatum } from '../types/parse.ts';
import { formatDatum } from '../types/format.ts';
import { DbError } from '../error/db-error.ts';
import { isoWeek, isoYear, isoYearDay } from '../types/calendar-fields.ts';
import { parseTimeZoneSetting, setTimeZoneProvider, UTC_ZONE, type TimeZone } from '../types/time-zone.ts';
import { decodeUnit } from './datetime-unit.ts';

// Expected values were taken from PostgreSQL 15 (see also test/e2e/datetime-functions.test.ts,
// which compares thousands of results with a live server).

let zone: TimeZone = UTC_ZONE;
setTimeZoneProvider(() => zone);
after(() => setTimeZoneProvider(() => UTC_ZONE));

function inZone<T>(name: string, fn: () => T): T {
  zone = parseTimeZoneSetting(name)!;
  try {
    return fn();
  } finally {
    zone = UTC_ZONE;
  }
}

/** func(args) with each argument given as [type, text], printed as PG text (or `ERROR code message`). */
function show(func: string, ...args: [DataType, string | null][]): string | null {
  try {
    const r = resolveCall(func, args.map(([t]) => t));
    const exprs = args.map(([t, v], i) => Expr.cast(Expr.literal(v === null ? null : parseDatum(t, v), t), r.argTypes[i]));
    return formatDatum(r.returnType, evalExprOnRow(Expr.call(func, exprs, r.returnType), []) as Datum);
  } catch (e) {
    if (!(e instanceof DbError)) throw e;
    return `ERROR ${e.code} ${e.message}`;
  }
}

const txt = (s: string): [DataType, string] => ['character varying', s];
const ts = (s: string): [DataType, string] => ['timestamp without time zone', s];
const tstz = (s: string): [DataType, string] => ['timestamp with time zone', s];
const date = (s: string): [DataType, string] => ['date', s];
const time = (s: string): [DataType, string] => ['time without time zone', s];
const iv = (s: string): [DataType, string] => ['interval', s];

test('field names decode like PG (synonyms, first 10 characters, special tokens)', () => {
  assert.deepEqual(decodeUnit('HOURS', true), { kind: 'units', unit: 'hour', text: 'hours' });
  assert.deepEqual(decodeUnit('microsecondsxyz', true), { kind: 'units', unit: 'microseconds', text: 'microsecondsxyz' });
  assert.deepEqual(decodeUnit('epoch', true), { kind: 'reserved', unit: 'epoch', text: 'epoch' });
  assert.deepEqual(decodeUnit('now', true), { kind: 'reserved', unit: null, text: 'now' });
  assert.deepEqual(decodeUnit('epoch', false), { kind: 'unknown', text: 'epoch' });
  assert.deepEqual(decodeUnit('dow', true), { kind: 'units', unit: 'dow', text: 'dow' });
});

test('ISO weeks and years at year ends', () => {
  assert.deepEqual([isoWeek(2021, 1, 3), isoYear(2021, 1, 3)], [53, 2020]);
  assert.deepEqual([isoWeek(2019, 12, 30), isoYear(2019, 12, 30)], [1, 2020]);
  assert.deepEqual([isoWeek(2024, 12, 30), isoYear(2024, 12, 30)], [1, 2025]);
  assert.deepEqual([isoWeek(2020, 12, 31), isoYearDay(2020, 12, 31)], [53, 368]);
});

test('EXTRACT is numeric with PG scales, date_part is double precision', () => {
  const t = ts('2024-02-29 13:05:09.123456');
  assert.equal(show('extract', txt('second'), t), '9.123456');
  assert.equal(show('extract', txt('second'), ts('2024-01-01 00:00:05')), '5.000000');
  assert.equal(show('extract', txt('milliseconds'), t), '9123.456');
  assert.equal(show('extract', txt('microseconds'), t), '9123456');
  assert.equal(show('date_part', txt('second'), t), '9.123456');
  assert.equal(show('extract', txt('epoch'), t), '1709211909.123456');
  assert.equal(show('extract', txt('epoch'), date('2020-01-02')), '1577923200');
  assert.equal(show('extract', txt('julian'), ts('2020-01-01 12:00')), '2458850.50000000000000000000');
  assert.equal(show('extract', txt('doy'), t), '60');
  assert.equal(show('extract', txt('quarter'), t), '1');
  assert.equal(show('extract', txt('isodow'), ts('2021-01-03')), '7');
  assert.equal(show('extract', txt('dow'), ts('2021-01-03')), '0');
});

test('BC years, centuries and millennia as PG counts them', () => {
  const bc = ts('0044-03-15 12:00:00 BC');
  assert.equal(show('extract', txt('year'), bc), '-44');
  assert.equal(show('extract', txt('century'), bc), '-1');
  assert.equal(show('extract', txt('decade'), bc), '-5');
  assert.equal(show('extract', txt('year'), date('0001-12-31 BC')), '-1');
  assert.equal(show('extract', txt('century'), ts('2000-12-31')), '20');
  assert.equal(show('extract', txt('century'), ts('2001-01-01')), '21');
  assert.equal(show('extract', txt('millennium'), ts('2001-01-01')), '3');
  assert.equal(show('extract', txt('isoyear'), ts('0001-01-01')), '1');
});

test('infinite inputs: monotonic fields are ±Infinity, the others NULL', () => {
  assert.equal(show('extract', txt('year'), ts('infinity')), 'Infinity');
  assert.equal(show('date_part', txt('epoch'), ts('-infinity')), '-Infinity');
  assert.equal(show('extract', txt('hour'), ts('infinity')), null);
  assert.equal(show('extract', txt('month'), date('infinity')), null);
  assert.equal(show('date_trunc', txt('year'), ts('infinity')), 'infinity');
});

test('unknown and unsupported fields give PG errors', () => {
  assert.equal(show('extract', txt('foo'), ts('2024-01-01')), 'ERROR 22023 unit "foo" not recognized for type timestamp without time zone');
  assert.equal(show('extract', txt('timezone'), ts('2024-01-01')), 'ERROR 0A000 unit "timezone" not supported for type timestamp without time zone');
  assert.equal(show('extract', txt('hour'), date('2024-01-01')), 'ERROR 0A000 unit "hour" not supported for type date');
  assert.equal(show('date_part', txt('hour'), date('2024-01-01')), '0');
  assert.equal(show('extract', txt('now'), time('10:00')), 'ERROR 22023 unit "now" not recognized for type time without time zone');
  assert.equal(show('extract', txt('week'), iv('10 days')), 'ERROR 0A000 unit "week" not supported for type interval');
  assert.equal(show('date_trunc', txt('epoch'), ts('2024-01-01')), 'ERROR 22023 unit "epoch" not recognized for type timestamp without time zone');
  assert.equal(show('date_trunc', txt('dow'), ts('2024-01-01')), 'ERROR 22023 unit "dow" not recognized for type timestamp without time zone');
});

test('time and interval fields truncate toward zero', () => {
  assert.equal(show('extract', txt('hour'), time('24:00:00')), '24');
  assert.equal(show('extract', txt('epoch'), time('01:00:00.5')), '3600.500000');
  const neg = iv('-1 year -2 mons -3 days -04:05:06.789');
  assert.equal(show('extract', txt('month'), neg), '-2');
  assert.equal(show('extract', txt('quarter'), neg), '1');
  assert.equal(show('extract', txt('second'), neg), '-6.789000');
  assert.equal(show('extract', txt('epoch'), iv('1 year 2 mons -3 days 04:05:06.789')), '36497106.789000');
  assert.equal(show('date_part', txt('epoch'), iv('1 year')), '31557600');
});

test('timestamptz fields and timezone offsets are those of the session zone', () => {
  const t = tstz('2024-03-10 07:30:00+00');
  inZone('America/New_York', () => {
    assert.equal(show('extract', txt('hour'), t), '3');
    assert.equal(show('extract', txt('timezone'), t), '-14400');
    assert.equal(show('extract', txt('timezone_hour'), t), '-4');
  });
  inZone('Asia/Kolkata', () => {
    assert.equal(show('extract', txt('timezone_minute'), t), '30');
    assert.equal(show('to_char', t, txt('HH24:MI TZ OF')), '13:00 IST +05:30');
  });
});

test('date_trunc of timestamps: ISO weeks, PG decade quirk, BC centuries', () => {
  assert.equal(show('date_trunc', txt('week'), ts('2021-01-02 10:00')), '2020-12-28 00:00:00');
  assert.equal(show('date_trunc', txt('week'), ts('2024-12-31 10:00')), '2024-12-30 00:00:00');
  assert.equal(show('date_trunc', txt('quarter'), ts('2024-08-15 10:00')), '2024-07-01 00:00:00');
  assert.equal(show('date_trunc', txt('decade'), ts('0005-03-04')), '0001-01-01 00:00:00 BC');
  assert.equal(show('date_trunc', txt('century'), ts('2000-12-31 23:59')), '1901-01-01 00:00:00');
  assert.equal(show('date_trunc', txt('millennium'), ts('0044-03-15 BC')), '1000-01-01 00:00:00 BC');
  assert.equal(show('date_trunc', txt('milliseconds'), ts('2024-01-01 00:00:01.234567')), '2024-01-01 00:00:01.234');
});

test('date_trunc of timestamptz: days get their own offset, hours keep theirs', () => {
  inZone('America/New_York', () => {
    assert.equal(show('date_trunc', txt('day'), tstz('2024-03-10 12:00:00+00')), '2024-03-10 00:00:00-05');
    assert.equal(show('date_trunc', txt('hour'), tstz('2024-11-03 06:30:00+00')), '2024-11-03 01:00:00-05');
    assert.equal(show('date_trunc', txt('hour'), tstz('2024-11-03 05:30:00+00')), '2024-11-03 01:00:00-04');
    assert.equal(show('date_trunc', txt('day'), tstz('2024-03-10 12:00:00+00'), txt('Asia/Kolkata')), '2024-03-09 13:30:00-05');
    assert.equal(show('date_trunc', txt('day'), tstz('2024-03-10 12:00:00+00'), txt('nowhere')), 'ERROR 22023 time zone "nowhere" not recognized');
  });
});

test('date_trunc of intervals', () => {
  assert.equal(show('date_trunc', txt('year'), iv('-1234 years -5 mons -3 days')), '-1234 years');
  assert.equal(show('date_trunc', txt('hour'), iv('1 day 25:59:59')), '1 day 25:00:00');
  assert.equal(show('date_trunc', txt('quarter'), iv('1 year 8 mons 3 days')), '1 year 6 mons');
  assert.equal(show('date_trunc', txt('week'), iv('10 days')), 'ERROR 0A000 unit "week" not supported for type interval');
});

test('to_char pictures', () => {
  const t = ts('2024-02-29 13:05:09.123456');
  assert.equal(show('to_char', t, txt('YYYY-MM-DD HH24:MI:SS.US')), '2024-02-29 13:05:09.123456');
  assert.equal(show('to_char', t, txt('Day, DD Month YYYY')), 'Thursday , 29 February  2024');
  assert.equal(show('to_char', t, txt('FMDay, FMDD FMMonth YYYY HH12:MI am')), 'Thursday, 29 February 2024 01:05 pm');
  assert.equal(show('to_char', t, txt('DDth Q WW IW J "YYYY \\"q\\"" \\"x\\"')), '29th 1 09 09 2460370 YYYY "q" "x"');
  assert.equal(show('to_char', ts('2024-01-11'), txt('DDth FMDDth DDTH')), '11th 11th 11TH');
  assert.equal(show('to_char', ts('2024-01-22'), txt('DDth FMDth')), '22nd 2nd');
  assert.equal(show('to_char', ts('0044-03-15 BC'), txt('YYYY BC CC')), '0044 BC -01');
  assert.equal(show('to_char', ts('2024-01-01'), txt('')), null);
  assert.equal(show('to_char', date('2021-01-03'), txt('IYYY-IW-ID')), '2020-53-7');
  assert.equal(show('to_char', iv('-1 year -2 mons -04:05:06'), txt('YYYY MM HH24 MI SS')), '-0001 -02 -04 -05 -06');
  assert.equal(show('to_char', iv('1 day'), txt('Day')), 'ERROR 22007 invalid format specification for an interval value');
});

test('to_char of numbers', () => {
  const num = (s: string): [DataType, string] => ['numeric', s];
  const f8 = (s: string): [DataType, string] => ['double precision', s];
  assert.equal(show('to_char', num('-1234567.891'), txt('FM9,999,999.90')), '-1,234,567.89');
  assert.equal(show('to_char', num('0.5'), txt('9.9')), '  .5');
  assert.equal(show('to_char', num('0'), txt('FM9.9')), '0.');
  assert.equal(show('to_char', num('5'), txt('S999')), '  +5');
  assert.equal(show('to_char', num('-5'), txt('999PR')), '  <5>');
  assert.equal(show('to_char', num('12345'), txt('999')), ' ###');
  assert.equal(show('to_char', ['integer', '22'], txt('FM999th')), '22nd');
  assert.equal(show('to_char', f8('2.5'), txt('9')), ' 2');
  assert.equal(show('to_char', num('2.5'), txt('9')), ' 3');
  assert.equal(show('to_char', num('9.999'), txt('9.99EEEE')), ' 10.00e+00');
  assert.equal(show('to_char', f8('-0.000123'), txt('9.9EEEE')), '-1.2e-04');
  assert.equal(show('to_char', num('1'), txt('RN')), 'ERROR 0A000 to_char pattern "RN" is not supported for numbers');
  assert.equal(show('to_char', num('1'), txt('9.9.9')), 'ERROR 42601 multiple decimal points');
});
