import type { Datum } from '@tributary/common';
import type { SystemCatalogSource, SystemRelationDef } from '../system-relation.ts';
import { userOids } from '../oids.ts';

function eachUser<T>(source: SystemCatalogSource, f: (u: { name: string; superuser: boolean }, oid: number) => T): T[] {
  const users = source.users();
  const oids = userOids(users);
  return users.map((u) => f(u, oids.get(u.name)!));
}

export const pgRoles: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_roles', oid: 1260,
  columns: [
    ['oid', 'integer'], ['rolname', 'character varying'], ['rolsuper', 'boolean'], ['rolinherit', 'boolean'],
    ['rolcreaterole', 'boolean'], ['rolcreatedb', 'boolean'], ['rolcanlogin', 'boolean'], ['rolreplication', 'boolean'],
    ['rolconnlimit', 'integer'], ['rolpassword', 'character varying'], ['rolvaliduntil', 'timestamp with time zone'],
    ['rolbypassrls', 'boolean'], ['rolconfig', 'character varying'],
  ],
  rows: (source) => eachUser(source, (u, oid): Datum[] => [
    oid, u.name, u.superuser, true, u.superuser, u.superuser, true, false, -1, '********', null, u.superuser, null,
  ]),
};

export const pgUser: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_user', oid: 12_001,
  columns: [
    ['usename', 'character varying'], ['usesysid', 'integer'], ['usecreatedb', 'boolean'], ['usesuper', 'boolean'],
    ['userepl', 'boolean'], ['usebypassrls', 'boolean'], ['passwd', 'character varying'],
    ['valuntil', 'timestamp with time zone'], ['useconfig', 'character varying'],
  ],
  rows: (source) => eachUser(source, (u, oid): Datum[] => [u.name, oid, u.superuser, u.superuser, false, u.superuser, '********', null, null]),
};
