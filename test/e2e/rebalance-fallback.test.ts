import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, connect, freePort, rows, spawnProc, startCluster, tmpDir, waitForTcp, type Cluster, type Proc } from '../harness/cluster.ts';
import { env, waitFor, withDump } from './rebalance-fixture.ts';

// Nothing can move online (only a table: its writer actors stay where frontends address them),
// but a full placement would give the joining node work: meta falls back to a recovery.
describe('a join with nothing movable online falls back to recovery', () => {
  let cluster: Cluster;
  const extra: Proc[] = [];
  after(async () => {
    for (const p of extra) await p.kill9();
    await cluster?.stop();
  });

  it('records a rebalance of mode recovery and places actors on the new node', { timeout: 180_000 }, async () => {
    cluster = await startCluster({ computeCount: 1, env });
    await withDump(() => [...cluster.procs, ...extra], async () => {
      const c = await connect(cluster.pgPort);
      await c.query('CREATE TABLE only_t (id INT PRIMARY KEY, v INT)');
      await c.query(`INSERT INTO only_t VALUES ${Array.from({ length: 100 }, (_, i) => `(${i}, ${i % 7})`).join(', ')}`);
      const port = await freePort();
      const p = spawnProc('compute1', [CLI, 'compute', '--meta', `127.0.0.1:${cluster.metaPort}`, '--listen', `127.0.0.1:${port}`], { env, logDir: tmpDir('tributary-rebalance-fb-log-') });
      extra.push(p);
      await waitForTcp(port, 60_000, p);
      await waitFor('a fallback rebalance', 60_000, async () => (await rows(c, 'SHOW REBALANCES')).some((r) => r[2] === 'recovery'));
      await waitFor('actors on both nodes', 30_000, async () => new Set((await rows(c, 'SHOW ACTORS')).map((a) => a[4])).size === 2);
      await waitFor('a committed flush', 30_000, async () => (await c.query('FLUSH'), true));
      await c.query('INSERT INTO only_t VALUES (1000, 1)');
      assert.deepEqual(await rows(c, 'SELECT count(*), sum(id) FROM only_t'), [['101', String(4950 + 1000)]]);
      await c.end();
    });
  });
});
