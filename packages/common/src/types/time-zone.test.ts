import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDatum } from './format.ts';
import { parseDatum } from './parse.ts';
import { formatZoneOffset, parseTimeZoneSetting, setTimeZoneProvider, UTC_ZONE } from './time-zone.ts';

const TSTZ = 'timestamp with time zone';

/** text -> timestamptz -> text in `zone`; expectations are PostgreSQL 15's output. */
function roundTrip(zone: string, text: string): string {
  const z = parseTimeZoneSetting(zone);
  assert.ok(z, zone);
  setTimeZoneProvider(() => z);
  try {
    return formatDatum(TSTZ, parseDatum(TSTZ, text))!;
  } finally {
    setTimeZoneProvider(() => UTC_ZONE);
  }
}

test('IANA zones: offsets, DST gaps (later reading) and overlaps (standard time), LMT', () => {
  assert.equal(roundTrip('Europe/Berlin', '2024-01-01 12:00:00+00'), '2024-01-01 13:00:00+01');
  assert.equal(roundTrip('europe/berlin', '2024-07-01 12:00:00'), '2024-07-01 12:00:00+02');
  assert.equal(roundTrip('America/New_York', '2024-03-10 02:30:00'), '2024-03-10 03:30:00-04');
  assert.equal(roundTrip('America/New_York', '2024-11-03 01:30:00'), '2024-11-03 01:30:00-05');
  assert.equal(roundTrip('America/New_York', '1800-01-01 00:00'), '1800-01-01 00:00:00-04:56:02');
  assert.equal(roundTrip('America/New_York', '2024-01-01 12:00 Europe/Berlin'), '2024-01-01 06:00:00-05');
  assert.equal(roundTrip('Asia/Kolkata', '2024-01-01 12:00:00+00'), '2024-01-01 17:30:00+05:30');
});

test('POSIX offsets in the TimeZone setting have the inverted sign', () => {
  assert.equal(roundTrip('+02:00', '2024-01-01 12:00:00+00'), '2024-01-01 10:00:00-02');
  assert.equal(roundTrip('-5:30', '2024-01-01 12:00:00+00'), '2024-01-01 17:30:00+05:30');
  assert.equal(roundTrip('UTC', '2024-01-01 12:00:00+01'), '2024-01-01 11:00:00+00');
  assert.equal(parseTimeZoneSetting('Mars/Olympus'), null);
  assert.equal(formatZoneOffset(-(4 * 3600 + 56 * 60 + 2)), '-04:56:02');
});

test('POSIX zones without daylight rules: UTC+3 and the <-07>+07 spelling of SET TIME ZONE -7', () => {
  assert.equal(roundTrip('UTC+3', '2024-07-01 12:00+00'), '2024-07-01 09:00:00-03');
  assert.equal(roundTrip('<-07>+07', '2024-07-01 12:00+00'), '2024-07-01 05:00:00-07');
  assert.equal(roundTrip('<+05:30>-05:30', '2024-07-01 12:00+00'), '2024-07-01 17:30:00+05:30');
  assert.equal(roundTrip('EST5EDT', '2024-07-01 12:00+00'), '2024-07-01 08:00:00-04');
});
