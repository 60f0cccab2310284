import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { castDatum } from '../types/cast.ts';
import type { DataType } from '../types/data-type.ts';
import type { Interval } from '../types/interval.ts';
import { currentTimeZone, parseTimeZoneSetting, type TimeZone } from '../types/time-zone.ts';
import { truncInterval, truncTimestamp, truncTimestampTz } from './date-trunc.ts';
import { extractDate, extractInterval, extractTime, extractTimestamp } from './extract-part.ts';
import { register, strict } from './function-registry.ts';

/**
 * EXTRACT (`extract(text, x)`, numeric), date_part (double precision) and date_trunc. The binder
 * turns `EXTRACT(field FROM x)` into `extract('field', x)`. timestamptz fields use the session
 * TimeZone, so on compute nodes (streaming views) they use UTC, like every other timestamptz
 * expression there.
 */

const TEXT: DataType = 'character varying';
const TS: DataType = 'timestamp without time zone';
const TSTZ: DataType = 'timestamp with time zone';
const TIME: DataType = 'time without time zone';

/** A zone argument (date_trunc's third): a zone name or offset, else 22023. */
function zoneArgument(text: string): TimeZone {
  const zone = parseTimeZoneSetting(text);
  if (zone === null) throw new DbError(SqlState.InvalidParameterValue, `time zone "${text}" not recognized`);
  return zone;
}

export function registerDateTimeFields(): void {
  for (const [name, numeric, ret] of [['extract', true, 'numeric'], ['date_part', false, 'double precision']] as const) {
    register(name, { args: [TEXT, TS], ret, impl: strict((a) => extractTimestamp(a[0] as string, a[1] as bigint, false, numeric)) });
    register(name, { args: [TEXT, TSTZ], ret, impl: strict((a) => extractTimestamp(a[0] as string, a[1] as bigint, true, numeric)) });
    register(name, { args: [TEXT, TIME], ret, impl: strict((a) => extractTime(a[0] as string, a[1] as bigint, numeric)) });
    register(name, { args: [TEXT, 'interval'], ret, impl: strict((a) => extractInterval(a[0] as string, a[1] as Interval, numeric)) });
  }
  register('extract', { args: [TEXT, 'date'], ret: 'numeric', impl: strict((a) => extractDate(a[0] as string, a[1] as number, true)) });
  // PG 15: date_part(text, date) is `date_part($1, $2::timestamp)`, so hours etc. are 0, not errors.
  register('date_part', { args: [TEXT, 'date'], ret: 'double precision', impl: strict((a) => extractTimestamp(a[0] as string, castDatum('date', TS, a[1]) as bigint, false, false)) });

  register('date_trunc', { args: [TEXT, TS], ret: TS, impl: strict((a) => truncTimestamp(a[0] as string, a[1] as bigint)) });
  register('date_trunc', { args: [TEXT, TSTZ], ret: TSTZ, impl: strict((a) => truncTimestampTz(a[0] as string, a[1] as bigint, currentTimeZone())) });
  register('date_trunc', { args: [TEXT, TSTZ, TEXT], ret: TSTZ, impl: strict((a) => truncTimestampTz(a[0] as string, a[1] as bigint, zoneArgument(a[2] as string))) });
  register('date_trunc', { args: [TEXT, 'interval'], ret: 'interval', impl: strict((a) => truncInterval(a[0] as string, a[1] as Interval)) });
}
