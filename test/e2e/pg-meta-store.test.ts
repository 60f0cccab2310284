// The meta store in PostgreSQL: catalog, jobs and the Hummock version survive a kill -9 of the
// playground (whose own data dir then holds only the object store).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, rows, startPlayground, tmpDir, type Playground } from '../harness/cluster.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../harness/postgres.ts';

describe('PostgreSQL meta store', { skip: postgresAvailable() ? false : 'no PostgreSQL server installed' }, () => {
  let pgServer: Postgres | null = null;
  let pgd: Playground | null = null;
  after(async () => {
    await pgd?.kill9();
    await pgServer?.stop();
  });

  it('keeps the catalog and committed data across a kill -9', { timeout: 120_000 }, async () => {
    pgServer = await startPostgres();
    const dataDir = tmpDir('tributary-pgmeta-');
    const extraArgs = ['--meta-store', pgServer.url];
    pgd = await startPlayground({ dataDir, extraArgs });
    let c = await connect(pgd.port);
    await c.query('CREATE TABLE pm (id INT PRIMARY KEY, g INT)');
    await c.query('CREATE MATERIALIZED VIEW pm_g AS SELECT g, count(*) AS n FROM pm GROUP BY g');
    await c.query('INSERT INTO pm VALUES (1, 1), (2, 1), (3, 2)');
    await c.query('FLUSH');
    await c.end();
    await pgd.kill9();

    pgd = await startPlayground({ dataDir, extraArgs });
    c = await connect(pgd.port);
    assert.deepEqual(await rows(c, 'SELECT g, n FROM pm_g ORDER BY g'), [['1', '2'], ['2', '1']]);
    await c.query('INSERT INTO pm VALUES (4, 2)');
    await c.query('FLUSH');
    assert.deepEqual(await rows(c, 'SELECT g, n FROM pm_g ORDER BY g'), [['1', '2'], ['2', '2']]);
    await c.end();

    const meta = await connect(pgServer.port, { user: 'postgres', database: 'postgres' }).catch(() => null);
    if (meta) {
      const kinds = await rows(meta, 'SELECT DISTINCT cf FROM tributary_meta ORDER BY cf');
      assert.ok(kinds.some(([cf]) => cf === 'relations'), 'relations are stored in PostgreSQL');
      await meta.end();
    }
  });
});
