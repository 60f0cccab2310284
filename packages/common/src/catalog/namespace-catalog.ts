/**
 * Schemas and databases, as meta's CatalogManager persists them and frontends receive them in
 * the catalog notification. As in PostgreSQL, a database holds its own schemas and relations: a
 * session sees only those of the database it connected to (names are unique per database and
 * schema; ids are unique in the cluster). The default database `dev` and each database's `public`
 * schema always exist (built in, never stored).
 */
export interface SchemaCatalog {
  /** Allocated from the relation id space, so pg_namespace oids never collide with pg_class's. */
  id: number;
  name: string;
  owner: string;
  /** The database holding it (catalogs written before databases held objects: `dev`). */
  databaseName: string;
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
export function builtinPublicSchema(databaseName: string): SchemaCatalog {
  return { id: -1, name: PUBLIC_SCHEMA, owner: 'root', databaseName };
}
export const BUILTIN_DATABASE: Readonly<DatabaseCatalog> = { id: -2, name: DEFAULT_DATABASE, owner: 'root' };

/** Schema and database DDL a frontend sends (Ddl kind 'namespace'); schemas are of `database`. */
export type NamespaceDdl =
  | { op: 'create_schema'; database: string; name: string; owner: string; ifNotExists: boolean }
  | { op: 'drop_schema'; database: string; names: string[]; ifExists: boolean; cascade: boolean }
  | { op: 'create_database'; name: string; owner: string }
  | { op: 'drop_database'; name: string; ifExists: boolean };

/** `schema.name` for messages and plans; bare for `public` (as before schemas existed). */
export function relationDisplayName(rel: { schemaName: string; name: string }): string {
  return rel.schemaName === PUBLIC_SCHEMA ? rel.name : `${rel.schemaName}.${rel.name}`;
}

/**
 * The key of a relation's grants in `UserInfo.privileges`: its display name in `dev` (the keys
 * grants had before databases held objects), `database.schema.name` in any other database, so a
 * grant on `t` of one database never opens `t` of another.
 */
export function privilegeKey(rel: { databaseName: string; schemaName: string; name: string }): string {
  return rel.databaseName === DEFAULT_DATABASE ? relationDisplayName(rel) : `${rel.databaseName}.${rel.schemaName}.${rel.name}`;
}
