import {
  BUILTIN_DATABASE, builtinPublicSchema, CatalogError, DEFAULT_DATABASE, PUBLIC_SCHEMA, SqlState,
  type DatabaseCatalog, type SchemaCatalog, type TableCatalog,
} from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';

/** Column families of schemas and databases: key = `schemaKey` / database name, value = JSON. */
export const SCHEMAS_CF = 'schemas';
export const DATABASES_CF = 'databases';

/**
 * A schema's key, in memory and in SCHEMAS_CF: the bare name in `dev` (as stored before databases
 * held objects), `["db","name"]` elsewhere (any character may appear in either name).
 */
export function schemaKey(database: string, name: string): string {
  return database === DEFAULT_DATABASE ? name : JSON.stringify([database, name]);
}

/**
 * The catalog of relations (tables, MVs), databases and their schemas. In memory, loaded from and
 * written through the meta store; every change is made as meta-store ops so it can join a barrier
 * commit's transaction. A relation is named by (database, schema, name); catalogs written before
 * schemas or databases held objects load into `dev` and `public`. Each database's `public` schema
 * is built in (never stored).
 */
export class CatalogManager {
  private readonly byId = new Map<number, TableCatalog>();
  /** By `schemaKey`; built-in `public` schemas are not here (see `schema`). */
  private readonly schemas = new Map<string, SchemaCatalog>();
  private readonly databases = new Map<string, DatabaseCatalog>([[DEFAULT_DATABASE, BUILTIN_DATABASE]]);

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    for (const [, json] of await this.store.list(CF.relations)) {
      const rel = JSON.parse(json) as TableCatalog;
      rel.schemaName ??= PUBLIC_SCHEMA;
      rel.databaseName ??= DEFAULT_DATABASE;
      this.byId.set(rel.id, rel);
    }
    for (const [, json] of await this.store.list(SCHEMAS_CF)) {
      const schema = JSON.parse(json) as SchemaCatalog;
      schema.databaseName ??= DEFAULT_DATABASE;
      this.schemas.set(schemaKey(schema.databaseName, schema.name), schema);
    }
    for (const [, json] of await this.store.list(DATABASES_CF)) {
      const db = JSON.parse(json) as DatabaseCatalog;
      this.databases.set(db.name, db);
    }
  }

  /** Every schema of every database, the built-in `public` ones included. */
  allSchemas(): SchemaCatalog[] {
    return [...[...this.databases.keys()].map(builtinPublicSchema), ...this.schemas.values()];
  }

  /** Schema `name` of `database`; `public` exists in every database. */
  schema(database: string, name: string): SchemaCatalog | undefined {
    if (name === PUBLIC_SCHEMA) return this.databases.has(database) ? builtinPublicSchema(database) : undefined;
    return this.schemas.get(schemaKey(database, name));
  }

  /** The schemas `database` created (not its built-in `public`). */
  schemasOf(database: string): SchemaCatalog[] {
    return [...this.schemas.values()].filter((s) => s.databaseName === database);
  }

  allDatabases(): DatabaseCatalog[] {
    return [...this.databases.values()];
  }

  database(name: string): DatabaseCatalog | undefined {
    return this.databases.get(name);
  }

  /** Throws 3D000 unless `database` exists, 3F000 unless its schema `name` does. */
  requireSchema(database: string, name: string): SchemaCatalog {
    if (!this.databases.has(database)) throw new CatalogError(SqlState.InvalidCatalogName, `database "${database}" does not exist`);
    const schema = this.schema(database, name);
    if (!schema) throw new CatalogError(SqlState.InvalidSchemaName, `schema "${name}" does not exist`);
    return schema;
  }

  /** Relations of schema `schema` of `database` (any state). */
  relationsIn(database: string, schema: string): TableCatalog[] {
    return this.all().filter((r) => r.databaseName === database && r.schemaName === schema);
  }

  /** Relations of `database`, every schema (any state). */
  relationsOf(database: string): TableCatalog[] {
    return this.all().filter((r) => r.databaseName === database);
  }

  putSchemaOp(schema: SchemaCatalog): MetaStoreOp {
    return { kind: 'put', cf: SCHEMAS_CF, key: schemaKey(schema.databaseName, schema.name), value: JSON.stringify(schema) };
  }

  deleteSchemaOp(database: string, name: string): MetaStoreOp {
    return { kind: 'delete', cf: SCHEMAS_CF, key: schemaKey(database, name) };
  }

  applyPutSchema(schema: SchemaCatalog): void {
    this.schemas.set(schemaKey(schema.databaseName, schema.name), schema);
  }

  applyDeleteSchema(database: string, name: string): void {
    this.schemas.delete(schemaKey(database, name));
  }

  putDatabaseOp(db: DatabaseCatalog): MetaStoreOp {
    return { kind: 'put', cf: DATABASES_CF, key: db.name, value: JSON.stringify(db) };
  }

  deleteDatabaseOp(name: string): MetaStoreOp {
    return { kind: 'delete', cf: DATABASES_CF, key: name };
  }

  applyPutDatabase(db: DatabaseCatalog): void {
    this.databases.set(db.name, db);
  }

  applyDeleteDatabase(name: string): void {
    this.databases.delete(name);
  }

  all(): TableCatalog[] {
    return [...this.byId.values()];
  }

  get(id: number): TableCatalog | undefined {
    return this.byId.get(id);
  }

  getByName(database: string, schema: string, name: string): TableCatalog | undefined {
    for (const rel of this.byId.values()) if (rel.name === name && rel.schemaName === schema && rel.databaseName === database) return rel;
    return undefined;
  }

  checkNameFree(database: string, schema: string, name: string): void {
    if (this.getByName(database, schema, name)) throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }

  /** Relations that read `id`, directly. */
  dependents(id: number): TableCatalog[] {
    return this.all().filter((r) => r.dependsOn.includes(id));
  }

  /** `id` and everything depending on it transitively, dependents first. */
  cascade(id: number): TableCatalog[] {
    const out: TableCatalog[] = [];
    const seen = new Set<number>();
    const visit = (rid: number) => {
      if (seen.has(rid)) return;
      seen.add(rid);
      for (const d of this.dependents(rid)) visit(d.id);
      const rel = this.byId.get(rid);
      if (rel) out.push(rel);
    };
    visit(id);
    return out;
  }

  /** Writes `ops` in one meta-store transaction (namespace DDL, which needs no barrier). */
  async commit(ops: MetaStoreOp[]): Promise<void> {
    await this.store.txn(ops);
  }

  putOp(rel: TableCatalog): MetaStoreOp {
    return { kind: 'put', cf: CF.relations, key: pad(rel.id), value: JSON.stringify(rel) };
  }

  deleteOp(id: number): MetaStoreOp {
    return { kind: 'delete', cf: CF.relations, key: pad(id) };
  }

  /** Applies in memory what `putOp`/`deleteOp` made durable. */
  applyPut(rel: TableCatalog): void {
    this.byId.set(rel.id, rel);
  }

  applyDelete(id: number): void {
    this.byId.delete(id);
  }
}

export function pad(id: number): string {
  return String(id).padStart(10, '0');
}
