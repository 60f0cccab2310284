// Online rebalance: a compute node joining a running cluster gets actors through an `update`
// barrier, without a recovery and without losing or duplicating a row; kill -9 around rebalances
// still ends exact.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, connect, freePort, rows, spawnProc, startCluster, tmpDir, waitForTcp, type Cluster, type Proc } from '../harness/cluster.ts';
import { assertViewsExact, count, createViews, env, sleep, waitFor, withDump, Writer } from './rebalance-fixture.ts';

describe('online rebalance when a compute node joins', () => {
  let cluster: Cluster;
  const extra: Proc[] = [];
  const logDir = tmpDir('tributary-rebalance-log-');
  after(async () => {
    for (const p of extra) await p.kill9();
    await cluster?.stop();
  });

  it('moves actors onto the new node without recovery or loss; kill -9 around rebalances stays exact', { timeout: 240_000 }, async () => {
    cluster = await startCluster({ computeCount: 2, env });
    const all = () => [...cluster.procs, ...extra];
    await withDump(all, async () => {
      const c = await connect(cluster.pgPort);
      await createViews(c);
      const recoveriesBefore = await count(c, 'SHOW RECOVERIES');
      const writer = new Writer(cluster.pgPort, 1);
      await sleep(1500);

      // 1. A third compute node joins: actors move to it online.
      const port3 = await freePort();
      const start3 = async () => {
        const p = spawnProc('compute2', [CLI, 'compute', '--meta', `127.0.0.1:${cluster.metaPort}`, '--listen', `127.0.0.1:${port3}`], { env, logDir });
        extra.push(p);
        await waitForTcp(port3, 60_000, p);
        return p;
      };
      let c3 = await start3();
      await waitFor('an online rebalance', 30_000, async () => (await rows(c, 'SHOW REBALANCES')).some((r) => r[2] === 'online'));
      const [event] = await rows(c, 'SHOW REBALANCES');
      assert.equal(event[2], 'online');
      assert.ok(Number(event[6]) > 0, `actors moved (${event.join(' | ')})`);
      const onNew = (await rows(c, 'SHOW ACTORS')).filter((a) => a[4] === `127.0.0.1:${port3}`);
      assert.ok(onNew.length > 0, 'the new node runs actors');
      await sleep(2000);
      assert.equal(await count(c, 'SHOW RECOVERIES'), recoveriesBefore, 'no recovery happened');
      assert.deepEqual(writer.errors, [], 'no write failed during the rebalance');
      assert.ok(writer.ackedInserts.size > 10, `the writer made progress (${writer.ackedInserts.size})`);
      await writer.stop();
      await assertViewsExact(c, writer);

      // 2. kill -9 the new node (a recovery), bring it back (an online rebalance), and kill another
      //    node while that rebalance runs; bring it back too. Views stay exact.
      const writer2 = new Writer(cluster.pgPort, 1_000_000);
      await c3.kill9();
      await waitFor('the recovery after the kill', 30_000, async () => (await count(c, 'SHOW RECOVERIES')) > recoveriesBefore);
      const recoveriesMid = await count(c, 'SHOW RECOVERIES');
      c3 = await start3();
      await sleep(300);
      await cluster.computes[0].kill9();
      // compute0 comes back once the graph runs again, so it joins a running cluster.
      await waitFor('the recovery after the second kill', 60_000, async () => (await count(c, 'SHOW RECOVERIES')) > recoveriesMid);
      await waitFor('a running cluster', 60_000, async () => (await c.query('FLUSH'), true));
      const port0 = Number(/--listen 127\.0\.0\.1:(\d+)/.exec(cluster.computes[0].child.spawnargs.join(' '))![1]);
      const c0 = spawnProc('compute0b', [CLI, 'compute', '--meta', `127.0.0.1:${cluster.metaPort}`, '--listen', `127.0.0.1:${port0}`], { env, logDir });
      extra.push(c0);
      await waitForTcp(port0, 60_000, c0);
      // The node that comes back last gets work again: by an online rebalance when it joins a
      // running cluster, or by the recovery still in progress when it joined (on a busy machine the
      // second kill's recovery can outlast the restart). Online rebalancing itself is asserted above.
      await waitFor('actors on all three nodes', 120_000, async () => new Set((await rows(c, 'SHOW ACTORS')).map((a) => a[4])).size === 3);
      await sleep(1500);
      await writer2.stop();
      await waitFor('a committed flush', 30_000, async () => (await c.query('FLUSH'), true));
      await assertViewsExact(c, writer, writer2);
      assert.ok(writer2.ackedInserts.size > 10, `the second writer made progress (${writer2.ackedInserts.size})`);
      await c.end();
    });
  });
});
