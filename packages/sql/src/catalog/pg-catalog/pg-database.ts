import type { SystemRelationDef } from '../system-relation.ts';
import { FIRST_USER_OID, UTF8_ENCODING } from '../oids.ts';

/** The one database of the cluster (the session's). */
export const pgDatabase: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_database', oid: 1262,
  columns: [
    ['oid', 'integer'], ['datname', 'character varying'], ['datdba', 'integer'], ['encoding', 'integer'],
    ['datlocprovider', 'character varying'], ['datistemplate', 'boolean'], ['datallowconn', 'boolean'],
    ['datconnlimit', 'integer'], ['datcollate', 'character varying'], ['datctype', 'character varying'],
    ['daticulocale', 'character varying'], ['datacl', 'character varying'],
  ],
  rows: (source) => [[1, source.database, FIRST_USER_OID, UTF8_ENCODING, 'c', false, true, -1, 'C', 'C', null, null]],
};
