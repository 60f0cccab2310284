import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { fieldsOfTimestamp, type CalendarFields } from '../types/calendar-fields.ts';
import { TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from '../types/datetime.ts';
import type { Interval } from '../types/interval.ts';
import { currentTimeZone, zoneOffsetSeconds } from '../types/time-zone.ts';
import { zoneAbbreviation } from '../types/zone-abbreviation.ts';
import { register, strict } from './function-registry.ts';
import { toCharDateTime } from './to-char-datetime.ts';
import { toCharFloat, toCharInteger, toCharNumeric } from './to-char-number.ts';
import type { Decimal } from '../types/decimal.ts';

/**
 * to_char(timestamp | timestamptz | interval | integer | bigint | numeric | real | double, text).
 * A date argument resolves to the timestamptz overload, as in PG. An empty picture or an infinite timestamp gives NULL (PG). timestamptz is
 * printed in the session TimeZone (UTC inside streaming views).
 */
const TEXT: DataType = 'character varying';

function timestampToChar(ts: bigint, fmt: string, withZone: boolean): Datum {
  if (fmt === '' || ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) return null;
  if (!withZone) return toCharDateTime({ fields: fieldsOfTimestamp(ts), isInterval: false, gmtoff: 0, zoneName: null }, fmt);
  const zone = currentTimeZone();
  const gmtoff = zoneOffsetSeconds(zone, ts);
  const fields = fieldsOfTimestamp(ts + BigInt(gmtoff) * 1_000_000n);
  return toCharDateTime({ fields, isInterval: false, gmtoff, zoneName: zoneAbbreviation(zone, ts) }, fmt);
}

/** PG interval2itm fields (each truncated toward zero); yday approximates the span in days. */
function intervalFields(iv: Interval): CalendarFields {
  const year = Math.trunc(iv.months / 12);
  const month = iv.months % 12;
  const t = iv.micros;
  return {
    year, month, day: iv.days,
    hour: Number(t / 3_600_000_000n),
    minute: Number((t / 60_000_000n) % 60n),
    second: Number((t / 1_000_000n) % 60n),
    fsec: Number(t % 1_000_000n),
    wday: 0,
    yday: (year * 12 + month) * 30 + iv.days,
  };
}

export function registerToChar(): void {
  register('to_char', { args: ['integer', TEXT], ret: TEXT, impl: strict((a) => toCharInteger(BigInt(a[0] as number), a[1] as string)) });
  register('to_char', { args: ['bigint', TEXT], ret: TEXT, impl: strict((a) => toCharInteger(a[0] as bigint, a[1] as string)) });
  register('to_char', { args: ['numeric', TEXT], ret: TEXT, impl: strict((a) => toCharNumeric(a[0] as Decimal, a[1] as string)) });
  register('to_char', { args: ['real', TEXT], ret: TEXT, impl: strict((a) => toCharFloat(a[0] as number, a[1] as string, 6)) });
  register('to_char', { args: ['double precision', TEXT], ret: TEXT, impl: strict((a) => toCharFloat(a[0] as number, a[1] as string)) });
  register('to_char', { args: ['timestamp without time zone', TEXT], ret: TEXT, impl: strict((a) => timestampToChar(a[0] as bigint, a[1] as string, false)) });
  register('to_char', { args: ['timestamp with time zone', TEXT], ret: TEXT, impl: strict((a) => timestampToChar(a[0] as bigint, a[1] as string, true)) });
  register('to_char', { args: ['interval', TEXT], ret: TEXT, impl: strict((a) => {
    const fmt = a[1] as string;
    return fmt === '' ? null : toCharDateTime({ fields: intervalFields(a[0] as Interval), isInterval: true, gmtoff: 0, zoneName: null }, fmt);
  }) });
}
