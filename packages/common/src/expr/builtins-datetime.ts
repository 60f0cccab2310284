import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Interval, MICROS_PER_DAY } from '../types/interval.ts';
import { TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY, timestampAddInterval } from '../types/datetime.ts';
import { currentTimeZone, localToUtc, zoneOffsetSeconds } from '../types/time-zone.ts';
import { divisionByZero, lenient, register, strict } from './function-registry.ts';
import { statementTimeMicros, wallClockMicros } from './statement-time.ts';

/** Date, time, timestamp and interval arithmetic. */

const TS: DataType = 'timestamp without time zone';
const TSTZ: DataType = 'timestamp with time zone';

function dateOutOfRange(): DbError {
  return new DbError(SqlState.DatetimeFieldOverflow, 'date out of range');
}

function tsMinusTs(a: bigint, b: bigint): Interval {
  const diff = a - b;
  return new Interval(0, Number(diff / MICROS_PER_DAY), diff % MICROS_PER_DAY);
}

function intervalDiv(iv: Interval, f: number): Interval {
  if (f === 0) throw divisionByZero();
  const m = iv.months / f;
  const months = Math.trunc(m);
  const d = iv.days / f + (m - months) * 30;
  const days = Math.trunc(d);
  return new Interval(months, days, BigInt(Math.round(Number(iv.micros) / f + (d - days) * 86_400_000_000)));
}

/**
 * PG timestamptz_pl_interval: months and days move the wall-clock time in the session's zone
 * (`+ interval '1 day'` across a DST change keeps 12:00), then µs move the instant.
 */
function tstzAddInterval(ts: bigint, months: number, days: number, micros: bigint): bigint {
  const zone = currentTimeZone();
  if ((months === 0 && days === 0) || zone.kind === 'fixed' || ts === TIMESTAMP_POS_INFINITY || ts === TIMESTAMP_NEG_INFINITY) {
    return timestampAddInterval(ts, months, days, micros);
  }
  const local = ts + BigInt(zoneOffsetSeconds(zone, ts)) * 1_000_000n;
  return timestampAddInterval(localToUtc(zone, timestampAddInterval(local, months, days, 0n)), 0, 0, micros);
}

export function registerDateTime(): void {
  // Batch queries read the statement's start time (one value for every row, as PostgreSQL);
  // streaming plans only accept now() in temporal filters, where a Now executor supplies barrier
  // time instead.
  for (const name of ['now', 'transaction_timestamp', 'statement_timestamp']) {
    register(name, { args: [], ret: TSTZ, impl: lenient(() => statementTimeMicros()) });
  }
  register('clock_timestamp', { args: [], ret: TSTZ, impl: lenient(() => wallClockMicros()) });
  const addDays = (a: Datum[], sign: number): Datum => {
    const r = (a[0] as number) + sign * (a[1] as number);
    if (r > 2147483646 || r < -2147483647) throw dateOutOfRange();
    return r;
  };
  register('+', { args: ['date', 'integer'], ret: 'date', impl: strict((a) => addDays(a, 1)) });
  register('+', { args: ['integer', 'date'], ret: 'date', impl: strict((a) => (a[0] as number) + (a[1] as number)) });
  register('-', { args: ['date', 'integer'], ret: 'date', impl: strict((a) => addDays(a, -1)) });
  register('-', { args: ['date', 'date'], ret: 'integer', impl: strict((a) => (a[0] as number) - (a[1] as number)) });
  register('+', { args: ['date', 'time without time zone'], ret: TS, impl: strict((a) => BigInt(a[0] as number) * MICROS_PER_DAY + (a[1] as bigint)) });
  for (const t of [TS, TSTZ]) {
    const add = t === TSTZ ? tstzAddInterval : timestampAddInterval;
    const plus = strict((a) => {
      const iv = a[1] as Interval;
      return add(a[0] as bigint, iv.months, iv.days, iv.micros);
    });
    register('+', { args: [t, 'interval'], ret: t, impl: plus });
    register('+', { args: ['interval', t], castTo: ['interval', t], ret: t, impl: strict((a) => {
      const iv = a[0] as Interval;
      return add(a[1] as bigint, iv.months, iv.days, iv.micros);
    }) });
    register('-', { args: [t, 'interval'], ret: t, impl: strict((a) => {
      const iv = a[1] as Interval;
      return add(a[0] as bigint, -iv.months, -iv.days, -iv.micros);
    }) });
    register('-', { args: [t, t], ret: 'interval', impl: strict((a) => tsMinusTs(a[0] as bigint, a[1] as bigint)) });
  }
  const timeWrap = (v: bigint): bigint => ((v % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
  register('+', { args: ['time without time zone', 'interval'], ret: 'time without time zone', impl: strict((a) => timeWrap((a[0] as bigint) + (a[1] as Interval).micros)) });
  register('-', { args: ['time without time zone', 'interval'], ret: 'time without time zone', impl: strict((a) => timeWrap((a[0] as bigint) - (a[1] as Interval).micros)) });
  register('-', { args: ['time without time zone', 'time without time zone'], ret: 'interval', impl: strict((a) => Interval.fromMicros((a[0] as bigint) - (a[1] as bigint))) });
  register('+', { args: ['interval', 'interval'], ret: 'interval', impl: strict((a) => (a[0] as Interval).add(a[1] as Interval)) });
  register('-', { args: ['interval', 'interval'], ret: 'interval', impl: strict((a) => (a[0] as Interval).sub(a[1] as Interval)) });
  register('*', { args: ['interval', 'double precision'], ret: 'interval', impl: strict((a) => (a[0] as Interval).mulFloat(a[1] as number)) });
  register('*', { args: ['double precision', 'interval'], ret: 'interval', impl: strict((a) => (a[1] as Interval).mulFloat(a[0] as number)) });
  register('/', { args: ['interval', 'double precision'], ret: 'interval', impl: strict((a) => intervalDiv(a[0] as Interval, a[1] as number)) });
  register('date_part_epoch', { args: [TSTZ], ret: 'double precision', impl: strict((a) => Number(a[0] as bigint) / 1e6) });
}
