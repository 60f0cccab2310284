// A barrier that a compute node never completes (here: its checkpoint uploads hang far longer
// than the timeout, while its heartbeats go on) triggers a recovery after
// --barrier-collect-timeout-ms instead of stalling the cluster forever; once the node is
// replaced, the views are exact.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, freePort, rows, startCluster, withLogs, type Cluster } from '../harness/cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = { TRIBUTARY_BARRIER_COLLECT_TIMEOUT_MS: '3000', TRIBUTARY_LOG_LEVEL: 'info' };

let cluster: Cluster | undefined;
after(async () => {
  for (const p of cluster?.procs ?? []) await p.kill9();
});

test('a barrier stuck on one node triggers a recovery after the collect timeout', { timeout: 120_000 }, async () => {
  cluster = await startCluster({ computeCount: 1, env });
  const port = await freePort();
  const startSlow = async (faults: string | null) =>
    (await cluster!.addCompute({ name: 'compute-slow', port, env: faults ? { TRIBUTARY_OBJECT_STORE_FAULTS: faults } : {} })).proc;
  await withLogs(() => cluster!.procs, async () => {
    const c = await connect(cluster!.pgPort);
    await c.query('CREATE TABLE bt (id INT PRIMARY KEY, g INT)');
    await c.query('CREATE MATERIALIZED VIEW bv AS SELECT g, count(*) AS n, sum(id) AS s FROM bt GROUP BY g');
    // A node whose uploads take 20 s joins (its actors come through a rebalance or a recovery).
    let slow = await startSlow('upload:delay=20000,put:delay=20000');
    await c.query('SET implicit_flush = off');
    let recs: Array<Array<string | null>> = [];
    for (let i = 0; i < 600 && !recs.some((r) => /not collected within 3000 ms/.test(r[1] ?? '')); i++) {
      await c.query(`INSERT INTO bt VALUES (${i}, ${i % 5})`).catch(() => undefined);
      await sleep(100);
      recs = await rows(c, 'SHOW RECOVERIES').catch(() => recs);
    }
    assert.ok(recs.some((r) => /not collected within 3000 ms/.test(r[1] ?? '')), `a recovery names the stuck barrier:\n${recs.map((r) => r.join(' | ')).join('\n')}`);

    // Replace the slow node: the cluster commits again and the view is exact.
    await slow.kill9();
    slow = await startSlow(null);
    let flushed = false;
    for (let i = 0; i < 200 && !flushed; i++) {
      flushed = await c.query('FLUSH').then(() => true, () => false);
      if (!flushed) await sleep(200);
    }
    assert.ok(flushed, 'checkpoints commit again');
    await c.query('SET implicit_flush = on');
    await c.query('INSERT INTO bt VALUES (100000, 1)');
    assert.deepEqual(await rows(c, 'SELECT g, n, s FROM bv ORDER BY g'), await rows(c, 'SELECT g, count(*), sum(id) FROM bt GROUP BY g ORDER BY g'));
    await c.end();
  });
});
