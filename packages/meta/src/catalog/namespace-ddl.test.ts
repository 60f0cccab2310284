import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableCatalog } from '@tributary/common';
import { openMetaStore } from '../meta-store/sqlite-meta-store.ts';
import type { JobManager } from '../stream/job-manager.ts';
import { CatalogManager } from './catalog-manager.ts';
import { IdGenerator } from './id-generator.ts';
import { applyNamespaceDdl } from './namespace-ddl.ts';

const code = (c: string) => (e: { code?: string }) => e.code === c;

/** A relation in `schema`, enough for the schema checks (no streaming job). */
function relation(id: number, schema: string, name: string, dependsOn: number[] = []): TableCatalog {
  return {
    id, name, schemaName: schema, kind: dependsOn.length ? 'materialized view' : 'table', columns: [],
    storage: { tableId: id, name, columns: [], pk: [], pkOrders: [], distKey: [] }, rowIdIndex: null, userPk: [],
    definition: '', dependsOn, materializeFragmentId: 0, state: 'created', owner: 'root',
  };
}

test('schemas and databases: create, errors, drop (CASCADE drops dependents first), reload from the meta store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'namespace-ddl-'));
  try {
    const store = openMetaStore(`sqlite://${join(dir, 'meta.db')}`);
    const catalog = new CatalogManager(store);
    await catalog.load();
    const dropped: string[][] = [];
    const jobs = {
      dropRelations: async (victims: TableCatalog[], _describe: string, extra?: { ops: never[]; apply(): void }) => {
        dropped.push(victims.map((v) => `${v.schemaName}.${v.name}`));
        for (const v of victims) catalog.applyDelete(v.id);
        await catalog.commit(extra?.ops ?? []);
        extra?.apply();
      },
    } as unknown as JobManager;
    const deps = { catalog, jobs, ids: new IdGenerator(store, 'table', 1000), notify: () => undefined };
    await applyNamespaceDdl({ op: 'create_schema', name: 'app', owner: 'root', ifNotExists: false }, deps);
    await assert.rejects(applyNamespaceDdl({ op: 'create_schema', name: 'app', owner: 'root', ifNotExists: false }, deps), code('42P06'));
    await applyNamespaceDdl({ op: 'create_schema', name: 'app', owner: 'root', ifNotExists: true }, deps);
    await assert.rejects(applyNamespaceDdl({ op: 'create_schema', name: 'pg_mine', owner: 'root', ifNotExists: false }, deps), code('42939'));
    await applyNamespaceDdl({ op: 'create_database', name: 'analytics', owner: 'root' }, deps);
    await assert.rejects(applyNamespaceDdl({ op: 'create_database', name: 'analytics', owner: 'root' }, deps), code('42P04'));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_database', name: 'dev', ifExists: false }, deps), code('55006'));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_schema', names: ['public'], ifExists: false, cascade: true }, deps), code('2BP01'));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_schema', names: ['nosuch'], ifExists: false, cascade: false }, deps), code('3F000'));

    catalog.applyPut(relation(1, 'app', 't'));
    catalog.applyPut(relation(2, 'public', 'v', [1]));
    await assert.rejects(applyNamespaceDdl({ op: 'drop_schema', names: ['app'], ifExists: false, cascade: false }, deps), code('2BP01'));
    assert.ok(catalog.schema('app'), 'a refused drop keeps the schema');
    await applyNamespaceDdl({ op: 'drop_schema', names: ['app'], ifExists: false, cascade: true }, deps);
    assert.deepEqual(dropped, [['public.v', 'app.t']]);
    assert.equal(catalog.schema('app'), undefined);

    await applyNamespaceDdl({ op: 'create_schema', name: 'kept', owner: 'alice', ifNotExists: false }, deps);
    await store.close();
    const reopened = new CatalogManager(openMetaStore(`sqlite://${join(dir, 'meta.db')}`));
    await reopened.load();
    assert.deepEqual(reopened.allSchemas().map((s) => [s.name, s.owner]), [['public', 'root'], ['kept', 'alice']]);
    assert.deepEqual(reopened.allDatabases().map((d) => d.name), ['dev', 'analytics']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
