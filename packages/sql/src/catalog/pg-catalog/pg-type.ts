import { ALL_DATA_TYPES, TYPE_LEN, TYPE_OID, type DataType } from '@tributary/common';
import type { SystemRelationDef } from '../system-relation.ts';
import { FIRST_USER_OID, PG_CATALOG_NAMESPACE_OID } from '../oids.ts';

const SHORT_NAME: Record<DataType, string> = {
  boolean: 'bool', smallint: 'int2', integer: 'int4', bigint: 'int8', real: 'float4', 'double precision': 'float8',
  numeric: 'numeric', 'character varying': 'varchar', bytea: 'bytea', date: 'date', 'time without time zone': 'time',
  'timestamp without time zone': 'timestamp', 'timestamp with time zone': 'timestamptz', interval: 'interval', jsonb: 'jsonb',
};

/** PostgreSQL's type category (typcategory) of each type. */
const CATEGORY: Record<DataType, string> = {
  boolean: 'B', smallint: 'N', integer: 'N', bigint: 'N', real: 'N', 'double precision': 'N', numeric: 'N',
  'character varying': 'S', bytea: 'U', date: 'D', 'time without time zone': 'D', 'timestamp without time zone': 'D',
  'timestamp with time zone': 'D', interval: 'T', jsonb: 'U',
};

/** PostgreSQL's oid of each type's array type (`_int4` is 1007). */
export const ARRAY_TYPE_OID: Record<DataType, number> = {
  boolean: 1000, smallint: 1005, integer: 1007, bigint: 1016, real: 1021, 'double precision': 1022, numeric: 1231,
  'character varying': 1015, bytea: 1001, date: 1182, 'time without time zone': 1183, 'timestamp without time zone': 1115,
  'timestamp with time zone': 1185, interval: 1187, jsonb: 3807,
};

/** Types clients name although Tributary maps them to its own (text -> varchar): [oid, name, len, category, array oid]. */
const EXTRA_TYPES: ReadonlyArray<readonly [number, string, number, string, number]> = [
  [25, 'text', -1, 'S', 1009], [19, 'name', 64, 'S', 1003], [26, 'oid', 4, 'N', 1028], [18, 'char', 1, 'Z', 1002],
  [1042, 'bpchar', -1, 'S', 1014],
];

type TypeRow = [number, string, number, boolean, string, number, number];

/**
 * Every base type and its array type (`typcategory` 'A', `typelem` the element), so clients that
 * load the type table at connect (postgres.js) find the array oids. Columns beyond these are
 * constant: namespace pg_catalog, owner the bootstrap user, typtype 'b'.
 */
export const pgType: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_type', oid: 1247,
  columns: [
    ['oid', 'integer'], ['typname', 'character varying'], ['typnamespace', 'integer'], ['typowner', 'integer'],
    ['typlen', 'smallint'], ['typbyval', 'boolean'], ['typtype', 'character varying'], ['typcategory', 'character varying'],
    ['typisdefined', 'boolean'], ['typrelid', 'integer'], ['typelem', 'integer'], ['typarray', 'integer'],
    ['typnotnull', 'boolean'], ['typbasetype', 'integer'], ['typtypmod', 'integer'], ['typcollation', 'integer'],
  ],
  rows: () => {
    // [oid, name, len, byval, category, elem, array]
    const types: TypeRow[] = [];
    const base = (oid: number, name: string, len: number, category: string, arrayOid: number): void => {
      types.push([oid, name, len, len > 0 && len <= 8, category, 0, arrayOid]);
      types.push([arrayOid, `_${name}`, -1, false, 'A', oid, 0]);
    };
    for (const t of ALL_DATA_TYPES) base(TYPE_OID[t], SHORT_NAME[t], TYPE_LEN[t], CATEGORY[t], ARRAY_TYPE_OID[t]);
    for (const [oid, name, len, category, arrayOid] of EXTRA_TYPES) base(oid, name, len, category, arrayOid);
    return types.map(([oid, name, len, byval, category, elem, array]) => [
      oid, name, PG_CATALOG_NAMESPACE_OID, FIRST_USER_OID, len, byval, 'b', category, true, 0, elem, array, false, 0, -1, 0,
    ]);
  },
};
