import type { SystemRelationDef } from '../system-relation.ts';

/** `pg_tables`, `pg_matviews` and (always empty: Tributary has no plain views) `pg_views`. */
export const pgTables: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_tables', oid: 12_002,
  columns: [
    ['schemaname', 'character varying'], ['tablename', 'character varying'], ['tableowner', 'character varying'],
    ['tablespace', 'character varying'], ['hasindexes', 'boolean'], ['hasrules', 'boolean'], ['hastriggers', 'boolean'],
    ['rowsecurity', 'boolean'],
  ],
  rows: (source) => source.relations().filter((t) => t.kind === 'table')
    .map((t) => [t.schemaName, t.name, t.owner, null, t.userPk.length > 0, false, false, false]),
};

export const pgMatviews: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_matviews', oid: 12_003,
  columns: [
    ['schemaname', 'character varying'], ['matviewname', 'character varying'], ['matviewowner', 'character varying'],
    ['tablespace', 'character varying'], ['hasindexes', 'boolean'], ['ispopulated', 'boolean'],
    ['definition', 'character varying'],
  ],
  rows: (source) => source.relations().filter((t) => t.kind === 'materialized view')
    .map((t) => [t.schemaName, t.name, t.owner, null, false, true, t.definition]),
};

export const pgViews: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_views', oid: 12_004,
  columns: [
    ['schemaname', 'character varying'], ['viewname', 'character varying'], ['viewowner', 'character varying'],
    ['definition', 'character varying'],
  ],
  rows: () => [],
};
