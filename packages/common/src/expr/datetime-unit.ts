import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';

/**
 * The field names of EXTRACT, date_part and date_trunc, decoded like PostgreSQL's DecodeUnits
 * (the interval-units table) then DecodeSpecial (the date-token table): lower-cased, compared on
 * the first 10 characters only (TOKMAXLEN, so `microseconds` is `microsecon`), every synonym PG
 * knows (`hrs`, `mons`, `msec`, `c`, `mil`, ...).
 */
export type DateTimeUnit =
  | 'microseconds' | 'milliseconds' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month'
  | 'quarter' | 'year' | 'decade' | 'century' | 'millennium' | 'julian' | 'isoyear' | 'dow'
  | 'isodow' | 'doy' | 'timezone' | 'timezone_hour' | 'timezone_minute' | 'epoch';

/** `units`: an interval unit or calendar field; `reserved`: a special date token (`epoch`, `now`). */
export type DecodedUnit = { kind: 'units' | 'reserved'; unit: DateTimeUnit | null; text: string } | { kind: 'unknown'; text: string };

const UNITS: Record<string, DateTimeUnit> = {
  c: 'century', cent: 'century', centuries: 'century', century: 'century',
  d: 'day', day: 'day', days: 'day',
  dec: 'decade', decade: 'decade', decades: 'decade', decs: 'decade',
  h: 'hour', hour: 'hour', hours: 'hour', hr: 'hour', hrs: 'hour',
  m: 'minute', min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute',
  microsecon: 'microseconds', us: 'microseconds', usec: 'microseconds', usecond: 'microseconds',
  useconds: 'microseconds', usecs: 'microseconds',
  mil: 'millennium', millennia: 'millennium', millennium: 'millennium', mils: 'millennium',
  millisecon: 'milliseconds', ms: 'milliseconds', msec: 'milliseconds', msecond: 'milliseconds',
  mseconds: 'milliseconds', msecs: 'milliseconds',
  mon: 'month', mons: 'month', month: 'month', months: 'month',
  qtr: 'quarter', quarter: 'quarter',
  s: 'second', sec: 'second', second: 'second', seconds: 'second', secs: 'second',
  timezone: 'timezone', timezone_h: 'timezone_hour', timezone_m: 'timezone_minute',
  w: 'week', week: 'week', weeks: 'week',
  y: 'year', year: 'year', years: 'year', yr: 'year', yrs: 'year',
};

/** Calendar fields of PG's datetktbl (type UNITS there). */
const SPECIAL_UNITS: Record<string, DateTimeUnit> = {
  dow: 'dow', doy: 'doy', isodow: 'isodow', isoyear: 'isoyear', j: 'julian', jd: 'julian', julian: 'julian',
};

/** Reserved words of PG's datetktbl: only `epoch` is a field; the others are "not supported". */
const RESERVED = new Set(['-infinity', 'allballs', 'epoch', 'infinity', 'now', 'today', 'tomorrow', 'yesterday']);

/** Decodes a field name; `withSpecial` = also look in the date-token table (extract, not date_trunc). */
export function decodeUnit(field: string, withSpecial: boolean): DecodedUnit {
  const text = field.toLowerCase();
  const key = text.slice(0, 10);
  const unit = UNITS[key];
  if (unit !== undefined) return { kind: 'units', unit, text };
  if (!withSpecial) return { kind: 'unknown', text };
  const special = SPECIAL_UNITS[key];
  if (special !== undefined) return { kind: 'units', unit: special, text };
  if (RESERVED.has(key)) return { kind: 'reserved', unit: key === 'epoch' ? 'epoch' : null, text };
  return { kind: 'unknown', text };
}

/** 22023 `unit "foo" not recognized for type timestamp without time zone`. */
export function unitNotRecognized(text: string, typeName: string): DbError {
  return new DbError(SqlState.InvalidParameterValue, `unit "${text}" not recognized for type ${typeName}`);
}

/** 0A000 `unit "timezone" not supported for type timestamp without time zone`. */
export function unitNotSupported(text: string, typeName: string, detail?: string): DbError {
  return new DbError(SqlState.FeatureNotSupported, `unit "${text}" not supported for type ${typeName}`, detail ? { detail } : undefined);
}
