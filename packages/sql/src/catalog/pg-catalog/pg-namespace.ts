import type { SystemRelationDef } from '../system-relation.ts';
import { INFORMATION_SCHEMA_NAMESPACE_OID, PG_CATALOG_NAMESPACE_OID, FIRST_USER_OID, schemaOid, userOids } from '../oids.ts';

export const pgNamespace: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_namespace', oid: 2615,
  columns: [['oid', 'integer'], ['nspname', 'character varying'], ['nspowner', 'integer'], ['nspacl', 'character varying']],
  rows: (source) => {
    const owners = userOids(source.users());
    return [
      [PG_CATALOG_NAMESPACE_OID, 'pg_catalog', FIRST_USER_OID, null],
      [INFORMATION_SCHEMA_NAMESPACE_OID, 'information_schema', FIRST_USER_OID, null],
      ...source.schemas().map((s) => [schemaOid(s), s.name, owners.get(s.owner) ?? FIRST_USER_OID, null]),
    ];
  },
};
