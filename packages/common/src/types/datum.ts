import type { Decimal } from './decimal.ts';
import type { Interval } from './interval.ts';

/**
 * One SQL value in memory. The JS representation per DataType:
 *
 * | type                         | JS value                                             |
 * | ---------------------------- | ---------------------------------------------------- |
 * | boolean                      | boolean                                              |
 * | smallint, integer            | number (an integer in range)                         |
 * | bigint                       | bigint (in int64 range)                              |
 * | real, double precision       | number (real values are Math.fround-ed)              |
 * | numeric                      | Decimal                                              |
 * | character varying, jsonb     | string (jsonb: normalized JSON text)                 |
 * | bytea                        | Uint8Array                                           |
 * | date                         | number: days since 1970-01-01                        |
 * | time without time zone       | bigint: microseconds since midnight                  |
 * | timestamp [with time zone]   | bigint: microseconds since 1970-01-01 00:00:00 (UTC) |
 * | interval                     | Interval                                             |
 *
 * SQL NULL is `null` for every type.
 */
export type Datum = null | boolean | number | bigint | string | Uint8Array | Decimal | Interval;

/** A row: one datum per column. */
export type Row = Datum[];
