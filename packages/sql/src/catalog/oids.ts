import type { TableCatalog } from '@tributary/common';

/**
 * Object ids the system relations expose. PostgreSQL's fixed ones where they exist (namespaces,
 * the bootstrap superuser 10, access methods); user relations get `16384 + 2 * id` and their
 * primary-key index (and constraint) the next oid, so oids never collide.
 */
export const PG_CATALOG_NAMESPACE_OID = 11;
export const PUBLIC_NAMESPACE_OID = 2200;
export const INFORMATION_SCHEMA_NAMESPACE_OID = 13_000;
export const HEAP_AM_OID = 2;
export const BTREE_AM_OID = 403;
export const UTF8_ENCODING = 6;
export const FIRST_USER_OID = 10;
const FIRST_RELATION_OID = 16_384;

export function relationOid(t: TableCatalog): number {
  return FIRST_RELATION_OID + 2 * t.id;
}

/** The oid of `t`'s primary key index and constraint (tables with a user primary key). */
export function pkIndexOid(t: TableCatalog): number {
  return relationOid(t) + 1;
}

export function pkIndexName(t: TableCatalog): string {
  return `${t.name}_pkey`;
}

/** Users in name order get oids 10, 11, ... (`root` first when it sorts first). */
export function userOids(users: ReadonlyArray<{ name: string }>): Map<string, number> {
  const names = users.map((u) => u.name).sort((a, b) => (a === 'root' ? -1 : b === 'root' ? 1 : a.localeCompare(b)));
  return new Map(names.map((n, i) => [n, FIRST_USER_OID + i]));
}

/** A schema's pg_namespace oid: PostgreSQL's fixed ones for the built-ins; ids share the relation id space. */
export function schemaOid(schema: { id: number; name: string }): number {
  if (schema.name === 'pg_catalog') return PG_CATALOG_NAMESPACE_OID;
  if (schema.name === 'information_schema') return INFORMATION_SCHEMA_NAMESPACE_OID;
  if (schema.name === 'public') return PUBLIC_NAMESPACE_OID;
  return FIRST_RELATION_OID + 2 * schema.id;
}

/** Schema name -> pg_namespace oid, for the system schemas and the given user schemas. */
export function namespaceOids(schemas: ReadonlyArray<{ id: number; name: string }>): Map<string, number> {
  const out = new Map<string, number>([['pg_catalog', PG_CATALOG_NAMESPACE_OID], ['information_schema', INFORMATION_SCHEMA_NAMESPACE_OID]]);
  for (const s of schemas) out.set(s.name, schemaOid(s));
  return out;
}

/** A database's pg_database oid: the built-in one (negative id) is 1. */
export function databaseOid(db: { id: number }): number {
  return db.id < 0 ? 1 : FIRST_RELATION_OID + 2 * db.id;
}
