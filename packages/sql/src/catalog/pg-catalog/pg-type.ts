import { ALL_DATA_TYPES, TYPE_LEN, TYPE_OID, type DataType } from '@tributary/common';
import type { SystemRelationDef } from '../system-relation.ts';
import { FIRST_USER_OID, PG_CATALOG_NAMESPACE_OID } from '../oids.ts';

const SHORT_NAME: Record<DataType, string> = {
  boolean: 'bool', smallint: 'int2', integer: 'int4', bigint: 'int8', real: 'float4', 'double precision': 'float8',
  numeric: 'numeric', 'character varying': 'varchar', bytea: 'bytea', date: 'date', 'time without time zone': 'time',
  'timestamp without time zone': 'timestamp', 'timestamp with time zone': 'timestamptz', interval: 'interval', jsonb: 'jsonb',
};

export const pgType: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_type', oid: 1247,
  columns: [
    ['oid', 'integer'], ['typname', 'character varying'], ['typnamespace', 'integer'], ['typowner', 'integer'],
    ['typlen', 'smallint'], ['typbyval', 'boolean'], ['typtype', 'character varying'], ['typcategory', 'character varying'],
    ['typisdefined', 'boolean'], ['typrelid', 'integer'], ['typelem', 'integer'], ['typarray', 'integer'],
    ['typnotnull', 'boolean'], ['typbasetype', 'integer'], ['typtypmod', 'integer'], ['typcollation', 'integer'],
  ],
  rows: () => ALL_DATA_TYPES.map((t) => [
    TYPE_OID[t], SHORT_NAME[t], PG_CATALOG_NAMESPACE_OID, FIRST_USER_OID, TYPE_LEN[t], TYPE_LEN[t] > 0 && TYPE_LEN[t] <= 8,
    'b', 'U', true, 0, 0, 0, false, 0, -1, 0,
  ]),
};
