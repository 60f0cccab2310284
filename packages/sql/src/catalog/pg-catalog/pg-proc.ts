import type { SystemRelationDef } from '../system-relation.ts';
import { PG_CATALOG_NAMESPACE_OID } from '../oids.ts';

/** Minimal: the catalog functions clients probe for by name. */
const NAMES = [
  'format_type', 'pg_table_is_visible', 'pg_get_userbyid', 'pg_get_viewdef', 'pg_get_indexdef',
  'pg_get_constraintdef', 'obj_description', 'pg_encoding_to_char', 'version', 'current_schema',
];

export const pgProc: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_proc', oid: 1255,
  columns: [['oid', 'integer'], ['proname', 'character varying'], ['pronamespace', 'integer'], ['prokind', 'character varying']],
  rows: () => NAMES.map((n, i) => [20_000 + i, n, PG_CATALOG_NAMESPACE_OID, 'f']),
};
