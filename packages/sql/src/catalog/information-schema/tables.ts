import type { SystemRelationDef } from '../system-relation.ts';
import { visibleColumns } from '../visible-columns.ts';

/** Like PostgreSQL, information_schema lists tables (not materialized views). */
export const tables: SystemRelationDef = {
  schema: 'information_schema', name: 'tables', oid: 13_100,
  columns: [
    ['table_catalog', 'character varying'], ['table_schema', 'character varying'], ['table_name', 'character varying'],
    ['table_type', 'character varying'], ['is_insertable_into', 'character varying'],
  ],
  rows: (source) => source.relations().filter((t) => t.kind === 'table')
    .map((t) => [source.database, t.schemaName, t.name, 'BASE TABLE', 'YES']),
};

export const columns: SystemRelationDef = {
  schema: 'information_schema', name: 'columns', oid: 13_101,
  columns: [
    ['table_catalog', 'character varying'], ['table_schema', 'character varying'], ['table_name', 'character varying'],
    ['column_name', 'character varying'], ['ordinal_position', 'integer'], ['column_default', 'character varying'],
    ['is_nullable', 'character varying'], ['data_type', 'character varying'], ['udt_name', 'character varying'],
  ],
  rows: (source) => source.relations().filter((t) => t.kind === 'table').flatMap((t) => visibleColumns(t).map(({ column, index, attnum }) => [
    source.database, t.schemaName, t.name, column.name, attnum, null, column.notNull || t.userPk.includes(index) ? 'NO' : 'YES',
    column.type, column.type,
  ])),
};

export const schemata: SystemRelationDef = {
  schema: 'information_schema', name: 'schemata', oid: 13_102,
  columns: [['catalog_name', 'character varying'], ['schema_name', 'character varying'], ['schema_owner', 'character varying']],
  rows: (source) => [
    ...source.schemas().map((s) => [source.database, s.name, s.owner]),
    [source.database, 'pg_catalog', 'root'], [source.database, 'information_schema', 'root'],
  ],
};
