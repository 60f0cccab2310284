// The value table and expression lists of datetime-functions.test.ts (kept apart: data, not logic).

/** [id, timestamp text (also the timestamptz value, read in UTC), date, time, interval]. */
export const VALUES: [number, string | null, string | null, string | null, string | null][] = [
  [1, '2024-02-29 13:05:09.123456', '2024-02-29', '13:05:09.123456', '1 year 2 mons 3 days 04:05:06.789'],
  [2, '2023-12-31 23:59:59.999999', '2023-12-31', '00:00:00', '-1 year -2 mons -3 days -04:05:06.789'],
  [3, '2021-01-01 00:00:00', '2021-01-01', '23:59:59.999999', '13 mons'],
  [4, '2021-01-03 12:00:00', '2021-01-03', '24:00:00', '-13 mons'],
  [5, '2020-12-31 10:00:00', '2020-12-31', '12:00:00', '1 day -01:00:00'],
  [6, '2019-12-30 00:00:00', '2019-12-30', '00:00:00.5', '36:00:00'],
  [7, '2000-01-01 00:00:00', '2000-01-01', '06:07:08', '1000 years'],
  [8, '1999-12-31 23:59:59', '1999-12-31', '11:59:59', '-1234 years -5 mons'],
  [9, '1900-02-28 06:30:00', '1900-02-28', '12:59:59', '00:00:00'],
  [10, '1970-01-01 00:00:00', '1970-01-01', '01:00:00', '00:00:00.000001'],
  [11, '1969-12-31 23:59:59.5', '1969-12-31', null, '-00:00:01.5'],
  [12, '0001-01-01 00:00:00', '0001-01-01', null, '25 years 11 mons'],
  [13, '0001-12-31 23:59:59 BC', '0001-12-31 BC', null, '100 days 23:59:59'],
  [14, '0044-03-15 12:00:00 BC', '0044-03-15 BC', null, '-7 days'],
  [15, '0101-06-15 08:00:00 BC', '0101-06-15 BC', null, '3 mons 15 days'],
  [16, '2001-01-01 00:00:00', '2001-01-01', null, '-1 mons 1 day'],
  [17, '2100-03-01 00:00:00', '2100-03-01', null, '1 year'],
  [18, '1582-10-10 10:10:10', '1582-10-10', null, '11 years 11 mons'],
  [19, '2024-03-10 07:30:00', '2024-03-10', null, '2 years -1 mons'],
  [20, '2024-11-03 05:30:00', '2024-11-03', null, '59 mons'],
  [21, '2024-11-03 06:30:00', '2024-11-04', null, '01:02:03'],
  [22, '2024-03-31 01:30:00', '2024-03-31', null, null],
  [23, '2026-01-01 05:00:00', '2026-01-01', null, null],
  [24, '2027-01-01 00:00:00', '2027-01-01', null, null],
  [25, '9999-12-31 23:59:59', '9999-12-31', null, null],
  [26, 'infinity', 'infinity', null, null],
  [27, '-infinity', '-infinity', null, null],
  [28, null, null, null, null],
  [29, '2015-12-31 18:29:59', '2016-01-01', null, null],
  [30, '1000-01-01 00:00:00', '0999-12-31', null, null],
];

export const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe'];

/** Field names for date_part('f', x); the identifier-safe ones are also used as EXTRACT(f FROM x). */
export const FIELDS = [
  'century', 'day', 'decade', 'dow', 'doy', 'epoch', 'hour', 'isodow', 'isoyear', 'julian', 'microseconds',
  'millennium', 'milliseconds', 'minute', 'month', 'quarter', 'second', 'timezone', 'timezone_hour',
  'timezone_minute', 'week', 'year', 'foo', 'now', 'hours', 'msec', 'us', 'Y', 'MICROSECONDS', 'microsecondsxyz',
  'mon', 'c', 'mil', 'j',
];

export const TRUNC_UNITS = [
  'microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year',
  'decade', 'century', 'millennium', 'dow', 'epoch', 'foo', 'hours', 'MON',
];

export const TRUNC_ZONES = ['Asia/Kolkata', 'America/New_York', 'UTC', 'no/such_zone'];

export const FORMATS = [
  'YYYY-MM-DD HH24:MI:SS.US',
  'YYYY YYY YY Y IYYY IYY IY I Y,YYY CC',
  'MONTH Month month MON Mon mon MM RM rm',
  'DAY Day day DY Dy dy D ID DD DDD IDDD',
  'HH HH12 HH24 MI SS MS US FF1 FF2 FF3 FF4 FF5 FF6 SSSS SSSSS',
  'AM PM am pm A.M. P.M. a.m. p.m. AD BC ad bc A.D. B.C.',
  'Q WW IW J W',
  'FMMonth FMDay FMDD FMHH12 FMMI FMDDD FMYYYY FMMM FMRM FMIW FMCC',
  'DDth DDTH ddth FMDDth Jth IWth Qth Dth CCth YYYYth HH24th MIth SSth',
  '"quoted YYYY \\"x\\"" \\"HH\\" hh24 Hh24 FMfoo yyyy-mm-dd',
  'TZ tz OF FMOF TZH:TZM',
  'TMMonth TMDay',
  '',
];

/** Formats meaningful for intervals (calendar names are errors there, also compared). */
export const INTERVAL_FORMATS = [
  'YYYY MM DD HH HH12 HH24 MI SS MS US',
  'DDD WW CC Q RM rm SSSS Y,YYY YYY YY Y',
  'FMHH24:MI:SS FMDD FMMM',
  'Day',
  '',
];

/** Standalone expressions of the constructors (make_*, to_timestamp, age), one query each. */
export const STANDALONE = [
  'make_date(-44, 3, 15)', 'make_date(0, 1, 1)', 'make_date(2023, 2, 29)', 'make_date(2024, 2, 29)', 'make_date(2024, 13, 1)',
  'make_timestamp(2024, 2, 29, 13, 5, 9.5)', 'make_timestamp(-44, 3, 15, 0, 0, 0)', 'make_timestamp(2024, 2, 29, 25, 0, 0)',
  'make_timestamp(2024, 2, 29, 23, 59, 60)', 'make_timestamp(2024, 2, 29, 23, 59, 59.9999995)',
  'make_timestamp(2024, 2, 29, 23, -1, 0)', 'make_timestamp(2024, 2, 29, 23, 1, 61.5)',
  "make_timestamptz(2024, 3, 10, 2, 30, 0)", "make_timestamptz(2024, 11, 3, 1, 30, 0)", "make_timestamptz(2024, 3, 10, 2, 30, 0, 'Asia/Kolkata')",
  'to_timestamp(1709211909.123456)', "to_timestamp('NaN')", 'to_timestamp(1e20)', 'to_timestamp(-1e20)',
  "to_timestamp('infinity')", 'to_timestamp(-1.5)', 'to_timestamp(0.0000005)', 'to_timestamp(0.0000015)', 'to_timestamp(0)',
  "age(timestamp '2024-03-01', timestamp '2023-01-31 10:00')", "age(timestamp '2023-01-31 10:00', timestamp '2024-03-01')",
  "age(date '2024-03-31', date '2024-02-29')", "age(timestamptz '2024-03-10 12:00', timestamptz '2024-02-10 01:00')",
  "age(timestamp '0044-03-15 BC', timestamp '2024-02-29 23:59:59.999999')",
];

/** Numbers for to_char(number, fmt): [id, numeric text]; the integer columns take its rounding. */
export const NUMBERS: [number, string | null][] = [
  [1, '0'], [2, '5'], [3, '-5'], [4, '-0.5'], [5, '0.5'], [6, '12.345'], [7, '-12.345'], [8, '1234567.891'],
  [9, '-1234567.891'], [10, '0.004'], [11, '99.995'], [12, '100'], [13, '1e15'], [14, '2.5'], [15, '-2.5'],
  [16, '0.125'], [17, '11'], [18, '-123456789012'], [19, null], [20, '9.999'], [21, '1e-10'],
];

export const NUMBER_FORMATS = [
  '999', '9999.99', 'FM9999.99', '0000.00', 'FM0000.00', '9,999.999', 'FM9,999,999.90', 'S999.9', '999.9S',
  'FMS999', '999MI', 'FM999MI', '999PR', 'FM999.99PR', 'SG999', 'PL999', '9.9', 'FM9.9', '09.9', '99V99',
  'FM999th', '999TH', 'D99', '"Total: "FM9,990.00', '', '0.99', 'FM0.999', '9G999D99', '990',
  'FM99999999999999999999.999999', 'S0000', '0000S', 'FM90.9', '999 "x\\"y" 9', '9.9.9', '9PR9',
  '9.99EEEE', '9EEEE', '"x"9.9999999EEEE', 'FM9.9EEEE', '9.9EEEE9',
];
