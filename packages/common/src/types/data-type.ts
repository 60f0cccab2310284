/**
 * SQL data types. A plain string-literal union: every pass that switches on a type is exhaustive.
 * Names follow PostgreSQL's canonical `format_type` output.
 */
export type DataType =
  | 'boolean'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'real'
  | 'double precision'
  | 'numeric'
  | 'character varying'
  | 'bytea'
  | 'date'
  | 'time without time zone'
  | 'timestamp without time zone'
  | 'timestamp with time zone'
  | 'interval'
  | 'jsonb';

export const ALL_DATA_TYPES: readonly DataType[] = [
  'boolean', 'smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric',
  'character varying', 'bytea', 'date', 'time without time zone', 'timestamp without time zone',
  'timestamp with time zone', 'interval', 'jsonb',
];

/** PostgreSQL type OIDs, as sent in RowDescription. */
export const TYPE_OID: Record<DataType, number> = {
  boolean: 16,
  smallint: 21,
  integer: 23,
  bigint: 20,
  real: 700,
  'double precision': 701,
  numeric: 1700,
  'character varying': 1043,
  bytea: 17,
  date: 1082,
  'time without time zone': 1083,
  'timestamp without time zone': 1114,
  'timestamp with time zone': 1184,
  interval: 1186,
  jsonb: 3802,
};

/** Fixed byte length for RowDescription (-1 = variable). */
export const TYPE_LEN: Record<DataType, number> = {
  boolean: 1, smallint: 2, integer: 4, bigint: 8, real: 4, 'double precision': 8, numeric: -1,
  'character varying': -1, bytea: -1, date: 4, 'time without time zone': 8,
  'timestamp without time zone': 8, 'timestamp with time zone': 8, interval: 16, jsonb: -1,
};

/** Short names users write, mapped to the canonical type (lower case keys). */
export const TYPE_ALIASES: Record<string, DataType> = {
  bool: 'boolean', boolean: 'boolean',
  int2: 'smallint', smallint: 'smallint',
  int: 'integer', int4: 'integer', integer: 'integer',
  int8: 'bigint', bigint: 'bigint',
  float4: 'real', real: 'real',
  float8: 'double precision', float: 'double precision', double: 'double precision',
  'double precision': 'double precision',
  numeric: 'numeric', decimal: 'numeric',
  varchar: 'character varying', 'character varying': 'character varying', text: 'character varying',
  string: 'character varying', char: 'character varying', character: 'character varying',
  bytea: 'bytea',
  date: 'date',
  time: 'time without time zone', 'time without time zone': 'time without time zone',
  timestamp: 'timestamp without time zone', 'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone', 'timestamp with time zone': 'timestamp with time zone',
  interval: 'interval',
  jsonb: 'jsonb', json: 'jsonb',
};

export function isIntegerType(t: DataType): boolean {
  return t === 'smallint' || t === 'integer' || t === 'bigint';
}

export function isNumericType(t: DataType): boolean {
  return isIntegerType(t) || t === 'real' || t === 'double precision' || t === 'numeric';
}
