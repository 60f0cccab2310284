import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, connect, freePort, rows, spawnProc, startCluster, tmpDir, waitForTcp, type Cluster, type Proc } from '../harness/cluster.ts';
import { assertViewsExact, createViews, env, sleep, waitFor, withDump, Writer } from './rebalance-fixture.ts';

// Meta dies inside a rebalance, right before or right after the meta-store transaction that
// commits the hand-over epoch with the new actor lists: the restarted meta recovers a consistent
// placement either way, and the views stay exact.
for (const point of ['rebalance-before-commit', 'rebalance-after-commit'] as const) {
  describe(`meta killed at ${point}`, () => {
    let cluster: Cluster;
    const extra: Proc[] = [];
    const logDir = tmpDir('tributary-rebalance-crash-log-');
    after(async () => {
      for (const p of extra) await p.kill9();
      await cluster?.stop();
    });

    it('recovers to a consistent placement and exact views', { timeout: 240_000 }, async () => {
      cluster = await startCluster({ computeCount: 2, env: { ...env, TRIBUTARY_TEST_CRASH_AT: point } });
      const all = () => [...cluster.procs, ...extra];
      await withDump(all, async () => {
        const c = await connect(cluster.pgPort);
        await createViews(c);
        const writer = new Writer(cluster.pgPort, 1);
        await sleep(1000);
        const port3 = await freePort();
        const c3 = spawnProc('compute2', [CLI, 'compute', '--meta', `127.0.0.1:${cluster.metaPort}`, '--listen', `127.0.0.1:${port3}`], { env, logDir });
        extra.push(c3);
        const exit = await Promise.race([cluster.meta.exited, sleep(60_000).then(() => null)]);
        assert.equal(exit?.signal, 'SIGKILL', `meta crashed at ${point}`);
        const restartedAt = Date.now();
        const meta = spawnProc('meta2', [CLI, 'meta', '--listen', `127.0.0.1:${cluster.metaPort}`, '--data-dir', cluster.dataDir], { env, logDir });
        extra.push(meta);
        await waitForTcp(cluster.metaPort, 60_000, meta);
        await waitFor('a committed flush after the meta restart', 60_000, async () => (await c.query('FLUSH'), true));
        // Only the interrupted rebalance started before the restart (the new meta may rebalance
        // again if its startup recovery ran before every node was back).
        const events = (await rows(c, 'SHOW REBALANCES')).filter((r) => Date.parse(r[3]!) < restartedAt);
        assert.equal(events.length, point === 'rebalance-before-commit' ? 0 : 1, `rebalance events before the crash: ${JSON.stringify(events)}`);
        await waitFor('actors on all three nodes', 30_000, async () => new Set((await rows(c, 'SHOW ACTORS')).map((a) => a[4])).size === 3);
        await sleep(1500);
        await writer.stop();
        assert.ok(writer.ackedInserts.size > 5, `the writer made progress (${writer.ackedInserts.size})`);
        await waitFor('a committed flush', 30_000, async () => (await c.query('FLUSH'), true));
        await assertViewsExact(c, writer);
        await c.end();
      });
    });
  });
}
