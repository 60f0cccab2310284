import type { SystemRelationDef } from '../system-relation.ts';
import { databaseOid, FIRST_USER_OID, UTF8_ENCODING, userOids } from '../oids.ts';

/** The databases CREATE DATABASE recorded, and the built-in `dev`. */
export const pgDatabase: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_database', oid: 1262,
  columns: [
    ['oid', 'integer'], ['datname', 'character varying'], ['datdba', 'integer'], ['encoding', 'integer'],
    ['datlocprovider', 'character varying'], ['datistemplate', 'boolean'], ['datallowconn', 'boolean'],
    ['datconnlimit', 'integer'], ['datcollate', 'character varying'], ['datctype', 'character varying'],
    ['daticulocale', 'character varying'], ['datacl', 'character varying'],
  ],
  rows: (source) => {
    const owners = userOids(source.users());
    return source.databases().map((d) => [
      databaseOid(d), d.name, owners.get(d.owner) ?? FIRST_USER_OID, UTF8_ENCODING, 'c', false, true, -1, 'C', 'C', null, null,
    ]);
  },
};
