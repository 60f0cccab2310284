import { CatalogError, DEFAULT_DATABASE, PUBLIC_SCHEMA, SqlState, type NamespaceDdl, type TableCatalog } from '@tributary/common';
import type { JobManager } from '../stream/job-manager.ts';
import type { CatalogManager } from './catalog-manager.ts';
import type { IdGenerator } from './id-generator.ts';

export interface NamespaceDdlDeps {
  catalog: CatalogManager;
  jobs: JobManager;
  /** The relation id sequence: schema and database ids share it, so their oids never collide. */
  ids: IdGenerator;
  notify(): void;
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/**
 * CREATE/DROP SCHEMA and CREATE/DROP DATABASE. Creating is one meta-store write; dropping a
 * schema with relations (CASCADE), or a database with anything in it, stops their actors and
 * deletes them and the namespace on one barrier, like DROP TABLE.
 */
export function applyNamespaceDdl(ddl: NamespaceDdl, deps: NamespaceDdlDeps): Promise<void> {
  // One at a time per catalog: a DROP DATABASE waiting for its barrier must not see a CREATE
  // DATABASE/SCHEMA of the same names slip in and be deleted (or restored over) by its commit.
  const run = (queues.get(deps.catalog) ?? Promise.resolve()).then(() => applyOne(ddl, deps));
  queues.set(deps.catalog, run.catch(() => undefined));
  return run;
}

const queues = new WeakMap<CatalogManager, Promise<unknown>>();

async function applyOne(ddl: NamespaceDdl, deps: NamespaceDdlDeps): Promise<void> {
  const { catalog } = deps;
  switch (ddl.op) {
    case 'create_schema': {
      catalog.requireSchema(ddl.database, PUBLIC_SCHEMA); // 3D000 for a database dropped meanwhile
      if (catalog.schema(ddl.database, ddl.name) || SYSTEM_SCHEMAS.has(ddl.name)) {
        if (ddl.ifNotExists) return;
        throw new CatalogError(SqlState.DuplicateSchema, `schema "${ddl.name}" already exists`);
      }
      if (ddl.name.startsWith('pg_')) {
        throw new CatalogError(SqlState.ReservedName, `unacceptable schema name "${ddl.name}"`, { detail: 'The prefix "pg_" is reserved for system schemas.' });
      }
      const schema = { id: await deps.ids.nextId(), name: ddl.name, owner: ddl.owner, databaseName: ddl.database };
      await catalog.commit([catalog.putSchemaOp(schema)]);
      catalog.applyPutSchema(schema);
      deps.notify();
      return;
    }
    case 'drop_schema':
      for (const name of ddl.names) await dropSchema(ddl.database, name, ddl.ifExists, ddl.cascade, deps);
      return;
    case 'create_database': {
      if (catalog.database(ddl.name)) throw new CatalogError(SqlState.DuplicateDatabase, `database "${ddl.name}" already exists`);
      const db = { id: await deps.ids.nextId(), name: ddl.name, owner: ddl.owner };
      await catalog.commit([catalog.putDatabaseOp(db)]);
      catalog.applyPutDatabase(db);
      deps.notify();
      return;
    }
    case 'drop_database': {
      if (!catalog.database(ddl.name)) {
        if (ddl.ifExists) return;
        throw new CatalogError(SqlState.InvalidCatalogName, `database "${ddl.name}" does not exist`);
      }
      if (ddl.name === DEFAULT_DATABASE) {
        throw new CatalogError(SqlState.ObjectInUse, `cannot drop the built-in database "${DEFAULT_DATABASE}"`);
      }
      await dropDatabase(ddl.name, deps);
      return;
    }
  }
}

/**
 * DROP DATABASE: as in PostgreSQL, everything in it goes (its relations, their actors and state,
 * its schemas) in one commit with the database. Names leave memory first, so a CREATE racing with
 * the drop fails its database check (JobManager.create checks again after reserving its id).
 */
async function dropDatabase(name: string, deps: NamespaceDdlDeps): Promise<void> {
  const { catalog } = deps;
  refuseWhileCreating(catalog.relationsOf(name), `database "${name}"`);
  const db = catalog.database(name)!;
  const schemas = catalog.schemasOf(name);
  const ops = [catalog.deleteDatabaseOp(name), ...schemas.map((s) => catalog.deleteSchemaOp(name, s.name))];
  const apply = () => {
    catalog.applyDeleteDatabase(name);
    for (const s of schemas) catalog.applyDeleteSchema(name, s.name);
  };
  apply();
  try {
    const own = catalog.relationsOf(name);
    if (own.length === 0) {
      await catalog.commit(ops);
      deps.notify();
      return;
    }
    await deps.jobs.dropRelations(cascadeAll(catalog, own), `drop database ${name}`, { ops, apply });
  } catch (err) {
    catalog.applyPutDatabase(db);
    for (const s of schemas) catalog.applyPutSchema(s);
    throw err;
  }
}

async function dropSchema(database: string, name: string, ifExists: boolean, cascade: boolean, deps: NamespaceDdlDeps): Promise<void> {
  const { catalog } = deps;
  if (SYSTEM_SCHEMAS.has(name) || name === PUBLIC_SCHEMA) {
    throw new CatalogError(SqlState.DependentObjectsStillExist, `cannot drop schema ${name} because it is required by the database system`);
  }
  const schema = catalog.schema(database, name);
  if (!schema) {
    if (ifExists) return;
    throw new CatalogError(SqlState.InvalidSchemaName, `schema "${name}" does not exist`);
  }
  const own = catalog.relationsIn(database, name);
  if (cascade) refuseWhileCreating(own, `schema "${name}"`);
  if (own.length > 0 && !cascade) {
    throw new CatalogError(SqlState.DependentObjectsStillExist, `cannot drop schema ${name} because other objects depend on it`, {
      detail: own.map((r) => `${r.kind} ${name}.${r.name} depends on schema ${name}`).join('\n'),
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
  }
  // Gone from memory at once (in the same synchronous step as the emptiness check), so a CREATE
  // racing with this drop fails its schema check instead of leaving a relation in no schema
  // (JobManager.create checks again right after reserving its relation). Restored on failure.
  catalog.applyDeleteSchema(database, name);
  try {
    if (own.length === 0) {
      await catalog.commit([catalog.deleteSchemaOp(database, name)]);
      deps.notify();
      return;
    }
    await deps.jobs.dropRelations(cascadeAll(catalog, own), `drop schema ${name}`, {
      ops: [catalog.deleteSchemaOp(database, name)],
      apply: () => catalog.applyDeleteSchema(database, name),
    });
  } catch (err) {
    catalog.applyPutSchema(schema);
    throw err;
  }
}

/**
 * 55006 while a relation of the namespace is still being created: its CREATE runs its own barrier
 * command (and backfill), which a drop must not overtake. PostgreSQL would wait on the lock.
 */
function refuseWhileCreating(relations: TableCatalog[], what: string): void {
  const creating = relations.find((r) => r.state === 'creating');
  if (creating) {
    throw new CatalogError(SqlState.ObjectInUse, `cannot drop ${what} while ${creating.kind} "${creating.name}" is being created`, {
      hint: 'Retry once the CREATE has finished (SHOW JOBS lists backfills in progress).',
    });
  }
}

/** Every relation of `roots` and everything depending on them, dependents first, once each. */
function cascadeAll(catalog: CatalogManager, roots: TableCatalog[]): TableCatalog[] {
  const seen = new Set<number>();
  const out: TableCatalog[] = [];
  for (const root of roots) {
    for (const rel of catalog.cascade(root.id)) {
      if (seen.has(rel.id)) continue;
      seen.add(rel.id);
      out.push(rel);
    }
  }
  return out;
}
