/**
 * Schemas and databases, as meta's CatalogManager persists them and frontends receive them in
 * the catalog notification. `public` and the default database `dev` always exist (built in, never
 * stored). Tributary keeps one relation namespace per cluster: a database groups connections, not
 * objects (every database sees the same schemas and relations).
 */
export interface SchemaCatalog {
  /** Allocated from the relation id space, so pg_namespace oids never collide with pg_class's. */
  id: number;
  name: string;
  owner: string;
}

export interface DatabaseCatalog {
  id: number;
  name: string;
  owner: string;
}

/** The built-in schema: always exists, cannot be dropped. */
export const PUBLIC_SCHEMA = 'public';
/** The built-in database (RisingWave's default): always exists, cannot be dropped. */
export const DEFAULT_DATABASE = 'dev';

/** The built-ins as catalog entries, never stored; negative ids (frontends give them PostgreSQL's fixed oids). */
export const BUILTIN_SCHEMA: Readonly<SchemaCatalog> = { id: -1, name: PUBLIC_SCHEMA, owner: 'root' };
export const BUILTIN_DATABASE: Readonly<DatabaseCatalog> = { id: -2, name: DEFAULT_DATABASE, owner: 'root' };

/** Schema DDL a frontend sends (Ddl kind 'schema'). */
export type NamespaceDdl =
  | { op: 'create_schema'; name: string; owner: string; ifNotExists: boolean }
  | { op: 'drop_schema'; names: string[]; ifExists: boolean; cascade: boolean }
  | { op: 'create_database'; name: string; owner: string }
  | { op: 'drop_database'; name: string; ifExists: boolean };

/** `schema.name` for messages, plans and privilege keys; bare for `public` (as before schemas existed). */
export function relationDisplayName(rel: { schemaName: string; name: string }): string {
  return rel.schemaName === PUBLIC_SCHEMA ? rel.name : `${rel.schemaName}.${rel.name}`;
}
