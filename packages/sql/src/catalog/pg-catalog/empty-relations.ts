import type { SystemRelationDef } from '../system-relation.ts';

/** Relations Tributary has no rows for (no comments, inheritance, defaults or policies). */
export const pgDescription: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_description', oid: 2609,
  columns: [['objoid', 'integer'], ['classoid', 'integer'], ['objsubid', 'integer'], ['description', 'character varying']],
  rows: () => [],
};

export const pgInherits: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_inherits', oid: 2611,
  columns: [['inhrelid', 'integer'], ['inhparent', 'integer'], ['inhseqno', 'integer'], ['inhdetachpending', 'boolean']],
  rows: () => [],
};

export const pgAttrdef: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_attrdef', oid: 2604,
  columns: [['oid', 'integer'], ['adrelid', 'integer'], ['adnum', 'smallint'], ['adbin', 'character varying']],
  rows: () => [],
};
