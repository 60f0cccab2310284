// Online rebalance: a compute node joining a running cluster gets actors through an `update`
// barrier, without a recovery and without losing or duplicating a row; kill -9 around rebalances
// still ends exact.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { CLI, connect, dumpLogs, freePort, rows, spawnProc, startCluster, tmpDir, waitForTcp, type Cluster, type Proc } from '../harness/cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = { TRIBUTARY_REBALANCE_DELAY_MS: '300', TRIBUTARY_LOG_LEVEL: 'info' };

/** Inserts (and deletes some of) rows of `t` one statement at a time; remembers what was acknowledged. */
class Writer {
  readonly ackedInserts = new Set<number>();
  readonly ackedDeletes = new Set<number>();
  errors: string[] = [];
  private running = true;
  private done: Promise<void>;
  private nextId: number;

  constructor(port: number, firstId: number) {
    this.nextId = firstId;
    this.done = this.loop(port);
  }

  private async loop(port: number): Promise<void> {
    let c: pg.Client | null = null;
    while (this.running) {
      const id = this.nextId++;
      try {
        if (!c) c = await connect(port);
        await c.query(`INSERT INTO t VALUES (${id}, ${id % 20}, ${id % 100})`);
        this.ackedInserts.add(id);
        if (id % 7 === 0) {
          await c.query(`DELETE FROM t WHERE id = ${id - 3}`);
          this.ackedDeletes.add(id - 3);
        }
      } catch (e) {
        this.errors.push((e as Error).message);
        await c?.end().catch(() => {});
        c = null;
        await sleep(100);
      }
    }
    await c?.end().catch(() => {});
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

async function count(c: pg.Client, sql: string): Promise<number> {
  return (await rows(c, sql)).length;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Every view equals the same query run as a batch SELECT over the tables. */
async function assertViewsExact(c: pg.Client, w: Writer): Promise<void> {
  await c.query('FLUSH');
  assert.deepEqual(await rows(c, 'SELECT g, n, s FROM by_g ORDER BY g'), await rows(c, 'SELECT g, count(*), sum(v) FROM t GROUP BY g ORDER BY g'), 'by_g');
  assert.deepEqual(
    await rows(c, 'SELECT id, v, name FROM joined ORDER BY id'),
    await rows(c, 'SELECT t.id, t.v, dim.name FROM t JOIN dim ON t.g = dim.g ORDER BY t.id'),
    'joined',
  );
  assert.deepEqual(
    await rows(c, 'SELECT name, n, s FROM join_agg ORDER BY name'),
    await rows(c, 'SELECT dim.name, count(*), sum(t.v) FROM t JOIN dim ON t.g = dim.g GROUP BY dim.name ORDER BY dim.name'),
    'join_agg',
  );
  assert.deepEqual(
    await rows(c, 'SELECT k, n FROM by_g_mod ORDER BY k'),
    await rows(c, 'SELECT s % 7, count(*) FROM by_g GROUP BY s % 7 ORDER BY 1'),
    'by_g_mod (MV on MV)',
  );
  const present = new Set((await rows(c, 'SELECT id FROM t')).map((r) => Number(r[0])));
  const lost = [...w.ackedInserts].filter((id) => !w.ackedDeletes.has(id) && !present.has(id));
  assert.deepEqual(lost, [], 'acknowledged inserts are present');
  const resurrected = [...w.ackedDeletes].filter((id) => present.has(id));
  assert.deepEqual(resurrected, [], 'acknowledged deletes stay deleted');
}

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
      await c.query('CREATE TABLE t (id INT PRIMARY KEY, g INT, v INT)');
      await c.query('CREATE TABLE dim (g INT PRIMARY KEY, name VARCHAR)');
      await c.query(`INSERT INTO dim VALUES ${Array.from({ length: 15 }, (_, g) => `(${g}, 'g${g % 6}')`).join(', ')}`);
      await c.query('CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
      await c.query('CREATE MATERIALIZED VIEW joined AS SELECT t.id, t.v, dim.name FROM t JOIN dim ON t.g = dim.g');
      await c.query('CREATE MATERIALIZED VIEW join_agg AS SELECT dim.name, count(*) AS n, sum(t.v) AS s FROM t JOIN dim ON t.g = dim.g GROUP BY dim.name');
      await c.query('CREATE MATERIALIZED VIEW by_g_mod AS SELECT s % 7 AS k, count(*) AS n FROM by_g GROUP BY s % 7');
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
      const rebalancesBefore = await count(c, 'SHOW REBALANCES');
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
      // The node that comes back last joins a running cluster: it is rebalanced onto online.
      await waitFor('a rebalance onto a returning node', 60_000, async () => (await count(c, 'SHOW REBALANCES')) > rebalancesBefore);
      await waitFor('actors on all three nodes', 30_000, async () => new Set((await rows(c, 'SHOW ACTORS')).map((a) => a[4])).size === 3);
      await sleep(1500);
      await writer2.stop();
      await waitFor('a committed flush', 30_000, async () => (await c.query('FLUSH'), true));
      await assertViewsExact(c, writer);
      await assertViewsExact(c, writer2);
      assert.ok(writer2.ackedInserts.size > 10, `the second writer made progress (${writer2.ackedInserts.size})`);
      await c.end();
    });
  });
});

async function withDump(procs: () => Proc[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    dumpLogs(procs(), 6000);
    throw e;
  }
}

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
        await c.query('CREATE TABLE t (id INT PRIMARY KEY, g INT, v INT)');
        await c.query('CREATE TABLE dim (g INT PRIMARY KEY, name VARCHAR)');
        await c.query(`INSERT INTO dim VALUES ${Array.from({ length: 15 }, (_, g) => `(${g}, 'g${g % 6}')`).join(', ')}`);
        await c.query('CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
        await c.query('CREATE MATERIALIZED VIEW joined AS SELECT t.id, t.v, dim.name FROM t JOIN dim ON t.g = dim.g');
        await c.query('CREATE MATERIALIZED VIEW join_agg AS SELECT dim.name, count(*) AS n, sum(t.v) AS s FROM t JOIN dim ON t.g = dim.g GROUP BY dim.name');
        await c.query('CREATE MATERIALIZED VIEW by_g_mod AS SELECT s % 7 AS k, count(*) AS n FROM by_g GROUP BY s % 7');
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
