import type { SystemRelationDef } from '../system-relation.ts';
import { pkIndexOid, relationOid } from '../oids.ts';
import { pkAttnums } from '../visible-columns.ts';

/** One unique btree index per table with a primary key (the key itself). */
export const pgIndex: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_index', oid: 2610,
  columns: [
    ['indexrelid', 'integer'], ['indrelid', 'integer'], ['indnatts', 'smallint'], ['indnkeyatts', 'smallint'],
    ['indisunique', 'boolean'], ['indisprimary', 'boolean'], ['indisexclusion', 'boolean'], ['indimmediate', 'boolean'],
    ['indisclustered', 'boolean'], ['indisvalid', 'boolean'], ['indcheckxmin', 'boolean'], ['indisready', 'boolean'],
    ['indislive', 'boolean'], ['indisreplident', 'boolean'], ['indkey', 'character varying'],
  ],
  rows: (source) => source.relations()
    .filter((t) => t.kind === 'table' && t.userPk.length > 0)
    .map((t) => [
      pkIndexOid(t), relationOid(t), t.userPk.length, t.userPk.length, true, true, false, true, false, true, false,
      true, true, false, pkAttnums(t).join(' '),
    ]),
};
