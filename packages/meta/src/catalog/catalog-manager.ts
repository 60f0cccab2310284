import {
  BUILTIN_DATABASE, BUILTIN_SCHEMA, CatalogError, DEFAULT_DATABASE, PUBLIC_SCHEMA, SqlState,
  type DatabaseCatalog, type SchemaCatalog, type TableCatalog,
} from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';

/** Column families of schemas and databases: key = name, value = JSON. */
export const SCHEMAS_CF = 'schemas';
export const DATABASES_CF = 'databases';

/**
 * The catalog of relations (tables, MVs), schemas and databases. In memory, loaded from and
 * written through the meta store; every change is made as meta-store ops so it can join a barrier
 * commit's transaction. A relation is named by (schema, name); catalogs written before schemas
 * existed have no `schemaName` and load into `public`.
 */
export class CatalogManager {
  private readonly byId = new Map<number, TableCatalog>();
  private readonly schemas = new Map<string, SchemaCatalog>([[PUBLIC_SCHEMA, BUILTIN_SCHEMA]]);
  private readonly databases = new Map<string, DatabaseCatalog>([[DEFAULT_DATABASE, BUILTIN_DATABASE]]);

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    for (const [, json] of await this.store.list(CF.relations)) {
      const rel = JSON.parse(json) as TableCatalog;
      rel.schemaName ??= PUBLIC_SCHEMA;
      this.byId.set(rel.id, rel);
    }
    for (const [, json] of await this.store.list(SCHEMAS_CF)) {
      const schema = JSON.parse(json) as SchemaCatalog;
      this.schemas.set(schema.name, schema);
    }
    for (const [, json] of await this.store.list(DATABASES_CF)) {
      const db = JSON.parse(json) as DatabaseCatalog;
      this.databases.set(db.name, db);
    }
  }

  allSchemas(): SchemaCatalog[] {
    return [...this.schemas.values()];
  }

  schema(name: string): SchemaCatalog | undefined {
    return this.schemas.get(name);
  }

  allDatabases(): DatabaseCatalog[] {
    return [...this.databases.values()];
  }

  database(name: string): DatabaseCatalog | undefined {
    return this.databases.get(name);
  }

  /** Throws 3F000 unless schema `name` exists. */
  requireSchema(name: string): SchemaCatalog {
    const schema = this.schemas.get(name);
    if (!schema) throw new CatalogError(SqlState.InvalidSchemaName, `schema "${name}" does not exist`);
    return schema;
  }

  /** Relations of schema `name` (any state). */
  relationsIn(schema: string): TableCatalog[] {
    return this.all().filter((r) => r.schemaName === schema);
  }

  putSchemaOp(schema: SchemaCatalog): MetaStoreOp {
    return { kind: 'put', cf: SCHEMAS_CF, key: schema.name, value: JSON.stringify(schema) };
  }

  deleteSchemaOp(name: string): MetaStoreOp {
    return { kind: 'delete', cf: SCHEMAS_CF, key: name };
  }

  applyPutSchema(schema: SchemaCatalog): void {
    this.schemas.set(schema.name, schema);
  }

  applyDeleteSchema(name: string): void {
    this.schemas.delete(name);
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

  getByName(schema: string, name: string): TableCatalog | undefined {
    for (const rel of this.byId.values()) if (rel.name === name && rel.schemaName === schema) return rel;
    return undefined;
  }

  checkNameFree(schema: string, name: string): void {
    if (this.getByName(schema, name)) throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
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
