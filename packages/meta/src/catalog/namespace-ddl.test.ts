import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableCatalog } from '@tributary/common';
import { openMetaStore } from '../meta-store/sqlite-meta-store.ts';
import type { MetaStore, MetaStoreOp } from '../meta-store/meta-store.ts';
import type { JobManager } from '../stream/job-manager.ts';
import { CatalogManager, SCHEMAS_CF } from './catalog-manager.ts';
import { IdGenerator } from './id-generator.ts';
import { applyNamespaceDdl } from './namespace-ddl.ts';

const code = (c: string) => (e: { code?: string }) => e.code === c;

/** A relation in `schema` of `database`, enough for the namespace checks (no streaming job). */
function relation(id: number, schema: string, name: string, dependsOn: number[] = [], database = 'dev'): TableCatalog {
  return {
    id, name, schemaName: schema, databaseName: database, kind: dependsOn.length ? 'materialized view' : 'table', columns: [],
    storage: { tableId: id, name, columns: [], pk: [], pkOrders: [], distKey: [] }, rowIdIndex: null, userPk: [],
    definition: '', dependsOn, materializeFragmentId: 0, state: 'created', owner: 'root',
  };
}

/** The JobManager part namespace DDL uses: drops record the victims and commit the extra ops. */
function namespaceDeps(catalog: CatalogManager, store: MetaStore) {
  const dropped: string[][] = [];
  const jobs = {
    dropRelations: async (victims: TableCatalog[], _describe: string, extra?: { ops: MetaStoreOp[]; apply(): void }) => {
      dropped.push(victims.map((v) => `${v.schemaName}.${v.name}`));
      await catalog.commit(extra?.ops ?? []);
      for (const v of victims) catalog.applyDelete(v.id);
      extra?.apply();
    },
  } as unknown as JobManager;
  return { dropped, deps: { catalog, jobs, ids: new IdGenerator(store, 'table', 1000), notify: () => undefined } };
}

test('schemas and databases: create, errors, drop (CASCADE drops dependents first), reload from the meta store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'namespace-ddl-'));
  try {
    const store = openMetaStore(`sqlite://${join(dir, 'meta.db')}`);
    const catalog = new CatalogManager(store);
    await catalog.load();
    const { deps, dropped } = namespaceDeps(catalog, store);
    await applyNamespaceDdl({ op: 'create_schema', database: 'dev', name: 'app', owner: 'root', ifNotExists: false }, deps);
    await assert.rejects(applyNamespaceDdl({ op: 'create_schema', database: 'dev', name: 'app', owner: 'root', ifNotExists: false }, deps), code('42P06'));
    await applyNamespaceDdl({ op: 'create_schema', database: 'dev', name: 'app', owner: 'root', ifNotExists: true }, deps);
    await assert.rejects(applyNamespaceDdl({ op: 'create_schema', database: 'dev', name: 'pg_mine', owner: 'root', ifNotExists: false }, deps), code('42939'));
    await applyNamespaceDdl({ op: 'create_database', name: 'analytics', owner: 'root' }, deps);
    await assert.rejects(applyNamespaceDdl({ op: 'create_database', name: 'analytics', owner: 'root' }, deps), code('42P04'));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_database', name: 'dev', ifExists: false }, deps), code('55006'));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_schema', database: 'dev', names: ['public'], ifExists: false, cascade: true }, deps), code('2BP01'));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_schema', database: 'dev', names: ['nosuch'], ifExists: false, cascade: false }, deps), code('3F000'));

    catalog.applyPut(relation(1, 'app', 't'));
    catalog.applyPut(relation(2, 'public', 'v', [1]));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_schema', database: 'dev', names: ['app'], ifExists: false, cascade: false }, deps), code('2BP01'));
    assert.ok(catalog.schema('dev', 'app'), 'a refused drop keeps the schema');
    await applyNamespaceDdl({ op: 'drop_schema', database: 'dev', names: ['app'], ifExists: false, cascade: true }, deps);
    assert.deepEqual(dropped, [['public.v', 'app.t']]);
    assert.equal(catalog.schema('dev', 'app'), undefined);

    await applyNamespaceDdl({ op: 'create_schema', database: 'dev', name: 'kept', owner: 'alice', ifNotExists: false }, deps);
    await store.close();
    const reopened = new CatalogManager(openMetaStore(`sqlite://${join(dir, 'meta.db')}`));
    await reopened.load();
    assert.deepEqual(reopened.allSchemas().map((s) => [s.databaseName, s.name, s.owner]),
      [['dev', 'public', 'root'], ['analytics', 'public', 'root'], ['dev', 'kept', 'alice']]);
    assert.deepEqual(reopened.allDatabases().map((d) => d.name), ['dev', 'analytics']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('databases hold their own schemas and relations; DROP DATABASE drops everything in it; pre-database catalogs load into dev', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'namespace-ddl-db-'));
  try {
    const url = `sqlite://${join(dir, 'meta.db')}`;
    const store = openMetaStore(url);
    // A schema as stored before databases held objects: no databaseName, keyed by its bare name.
    await store.txn([{ kind: 'put', cf: SCHEMAS_CF, key: 'legacy', value: JSON.stringify({ id: 900, name: 'legacy', owner: 'root' }) }]);
    const catalog = new CatalogManager(store);
    await catalog.load();
    assert.equal(catalog.schema('dev', 'legacy')?.databaseName, 'dev');
    const { deps, dropped } = namespaceDeps(catalog, store);
    await applyNamespaceDdl({ op: 'create_database', name: 'shop', owner: 'root' }, deps);
    // Same schema name in two databases; `public` exists in each.
    await applyNamespaceDdl({ op: 'create_schema', database: 'dev', name: 'app', owner: 'root', ifNotExists: false }, deps);
    await applyNamespaceDdl({ op: 'create_schema', database: 'shop', name: 'app', owner: 'bob', ifNotExists: false }, deps);
    assert.equal(catalog.schema('shop', 'app')?.owner, 'bob');
    assert.equal(catalog.schema('dev', 'app')?.owner, 'root');
    assert.equal(catalog.schema('shop', 'legacy'), undefined);
    assert.ok(catalog.schema('shop', 'public'));
    assert.equal(catalog.schema('nosuch', 'public'), undefined);
    await assert.rejects(applyNamespaceDdl({ op: 'create_schema', database: 'nosuch', name: 'x', owner: 'root', ifNotExists: false }, deps), code('3D000'));
    assert.throws(() => catalog.requireSchema('nosuch', 'public'), code('3D000'));
    // Same relation name in both databases; names are per database.
    catalog.applyPut(relation(1, 'public', 't'));
    catalog.applyPut(relation(2, 'public', 't', [], 'shop'));
    catalog.applyPut(relation(3, 'app', 'v', [2], 'shop'));
    assert.equal(catalog.getByName('shop', 'public', 't')?.id, 2);
    assert.equal(catalog.getByName('dev', 'public', 't')?.id, 1);
    assert.throws(() => catalog.checkNameFree('shop', 'public', 't'), code('42P07'));
    catalog.checkNameFree('other', 'public', 'v');

    await applyNamespaceDdl({ op: 'drop_database', name: 'shop', ifExists: false }, deps);
    assert.deepEqual(dropped, [['app.v', 'public.t']]);
    assert.equal(catalog.database('shop'), undefined);
    assert.equal(catalog.schema('shop', 'app'), undefined);
    assert.equal(catalog.getByName('dev', 'public', 't')?.id, 1, "dev's t stays");
    assert.ok(catalog.schema('dev', 'app'), "dev's app schema stays");
    await store.close();

    const reopened = new CatalogManager(openMetaStore(url));
    await reopened.load();
    assert.deepEqual(reopened.allSchemas().map((s) => `${s.databaseName}.${s.name}`).sort(), ['dev.app', 'dev.legacy', 'dev.public']);
    assert.deepEqual(reopened.allDatabases().map((d) => d.name), ['dev']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('namespace DDL runs one at a time: CREATE DATABASE waits for a DROP DATABASE of the same name; a drop refuses while a relation in it is being created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'namespace-ddl-race-'));
  try {
    const url = `sqlite://${join(dir, 'meta.db')}`;
    const store = openMetaStore(url);
    // A relation as stored before databases held objects: no databaseName.
    const legacy = relation(50, 'public', 'old_t') as Partial<TableCatalog>;
    delete legacy.databaseName;
    await store.txn([{ kind: 'put', cf: 'relations', key: '0000000050', value: JSON.stringify(legacy) }]);
    const catalog = new CatalogManager(store);
    await catalog.load();
    assert.equal(catalog.getByName('dev', 'public', 'old_t')?.id, 50, 'a pre-database relation loads into dev');

    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const jobs = {
      dropRelations: async (victims: TableCatalog[], _d: string, extra?: { ops: MetaStoreOp[]; apply(): void }) => {
        await gate; // the drop's barrier takes a while
        await catalog.commit(extra?.ops ?? []);
        for (const v of victims) catalog.applyDelete(v.id);
        extra?.apply();
      },
    } as unknown as JobManager;
    const deps = { catalog, jobs, ids: new IdGenerator(store, 'table', 1000), notify: () => undefined };
    await applyNamespaceDdl({ op: 'create_database', name: 'shop', owner: 'root' }, deps);
    catalog.applyPut({ ...relation(1, 'public', 't', [], 'shop'), state: 'creating' });
    await assert.rejects(applyNamespaceDdl({ op: 'drop_database', name: 'shop', ifExists: false }, deps), code('55006'));
    catalog.applyPut(relation(1, 'public', 't', [], 'shop'));

    const dropping = applyNamespaceDdl({ op: 'drop_database', name: 'shop', ifExists: false }, deps);
    const creating = applyNamespaceDdl({ op: 'create_database', name: 'shop', owner: 'bob' }, deps);
    const schema = applyNamespaceDdl({ op: 'create_schema', database: 'shop', name: 'fresh', owner: 'bob', ifNotExists: false }, deps);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(catalog.database('shop'), undefined, 'gone from memory while the drop waits for its barrier');
    release();
    await dropping;
    await creating;
    await schema;
    assert.equal(catalog.database('shop')?.owner, 'bob', 'the new shop exists after the drop');
    assert.ok(catalog.schema('shop', 'fresh'));
    await store.close();
    const reopened = new CatalogManager(openMetaStore(url));
    await reopened.load();
    assert.equal(reopened.database('shop')?.owner, 'bob');
    assert.ok(reopened.schema('shop', 'fresh'));
    assert.equal(reopened.getByName('shop', 'public', 't'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
