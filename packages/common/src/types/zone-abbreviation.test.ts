import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { parseTimeZoneSetting } from './time-zone.ts';
import { zoneAbbreviation } from './zone-abbreviation.ts';

const at = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;
const abbr = (zone: string, iso: string): string => zoneAbbreviation(parseTimeZoneSetting(zone)!, at(iso));

test('abbreviations from the host tz data, as PostgreSQL prints them', { skip: !existsSync('/usr/share/zoneinfo/UTC') && 'no tz data' }, () => {
  assert.equal(abbr('UTC', '2024-07-01T12:00:00Z'), 'UTC');
  assert.equal(abbr('America/New_York', '2024-07-01T12:00:00Z'), 'EDT');
  assert.equal(abbr('America/New_York', '2024-01-01T12:00:00Z'), 'EST');
  // After the last transition in the file: the footer rule decides.
  assert.equal(abbr('America/New_York', '2060-07-01T12:00:00Z'), 'EDT');
  assert.equal(abbr('Asia/Kolkata', '2024-07-01T12:00:00Z'), 'IST');
  assert.equal(abbr('Asia/Kolkata', '1900-01-01T12:00:00Z'), 'MMT');
  assert.equal(abbr('Asia/Dubai', '2024-07-01T12:00:00Z'), '+04');
  assert.equal(abbr('Europe/Berlin', '2024-07-01T12:00:00Z'), 'CEST');
  assert.equal(abbr('+02:00', '2024-07-01T12:00:00Z'), '');
});
