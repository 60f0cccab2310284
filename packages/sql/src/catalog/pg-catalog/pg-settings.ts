import type { SystemRelationDef } from '../system-relation.ts';

/** The session's settings (as `SHOW ALL` sees them). */
export const pgSettings: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_settings', oid: 12_005,
  columns: [
    ['name', 'character varying'], ['setting', 'character varying'], ['unit', 'character varying'],
    ['category', 'character varying'], ['short_desc', 'character varying'], ['context', 'character varying'],
    ['vartype', 'character varying'], ['source', 'character varying'],
  ],
  rows: (source) => [...source.settings].sort(([a], [b]) => a.localeCompare(b))
    .map(([name, setting]) => [name, setting, null, 'Tributary', '', 'user', 'string', 'default']),
};
