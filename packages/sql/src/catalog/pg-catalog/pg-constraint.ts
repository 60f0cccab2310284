import type { SystemRelationDef } from '../system-relation.ts';
import { namespaceOids, pkIndexName, pkIndexOid, relationOid } from '../oids.ts';
import { pkAttnums } from '../visible-columns.ts';

/** The primary-key constraints (contype 'p'); the constraint shares its index's oid. */
export const pgConstraint: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_constraint', oid: 2606,
  columns: [
    ['oid', 'integer'], ['conname', 'character varying'], ['connamespace', 'integer'], ['contype', 'character varying'],
    ['condeferrable', 'boolean'], ['condeferred', 'boolean'], ['convalidated', 'boolean'], ['conrelid', 'integer'],
    ['contypid', 'integer'], ['conindid', 'integer'], ['confrelid', 'integer'], ['conkey', 'character varying'],
  ],
  rows: (source) => {
    const namespaces = namespaceOids(source.schemas());
    return source.relations()
      .filter((t) => t.kind === 'table' && t.userPk.length > 0)
      .map((t) => [
        pkIndexOid(t), pkIndexName(t), namespaces.get(t.schemaName) ?? 0, 'p', false, false, true, relationOid(t), 0, pkIndexOid(t), 0,
        `{${pkAttnums(t).join(',')}}`,
      ]);
  },
};
