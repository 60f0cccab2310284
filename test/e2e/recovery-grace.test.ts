// --recovery-grace-ms: a recovery waits for the lost compute node to come back (same address, same
// worker id) instead of moving its actors to the live nodes; when it returns within the grace, the
// recovery goes on at once with the node back in place, and the views stay exact.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, freePort, rows, startCluster, withLogs, type Cluster } from '../harness/cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GRACE_MS = 30_000;
const env = { TRIBUTARY_RECOVERY_GRACE_MS: String(GRACE_MS), TRIBUTARY_LOG_LEVEL: 'info' };

let cluster: Cluster | undefined;
after(async () => {
  for (const p of cluster?.procs ?? []) await p.kill9();
});

test('a recovery waits for the lost node within the grace period and gives it its actors back', { timeout: 120_000 }, async () => {
  cluster = await startCluster({ computeCount: 1, env });
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const startB = async () => (await cluster!.addCompute({ name: 'compute-b', port })).proc;
  let b = await startB();
  await withLogs(() => cluster!.procs, async () => {
    const c = await connect(cluster!.pgPort);
    const workerB = async () => (await rows(c, 'SHOW CLUSTER')).find((w) => w[2] === address)?.[0];
    for (let i = 0; i < 100 && !(await workerB()); i++) await sleep(100);
    const idB = await workerB();
    assert.ok(idB, 'the second compute node registered');
    await c.query('CREATE TABLE gt (id INT PRIMARY KEY, g INT)');
    await c.query('CREATE MATERIALIZED VIEW gv AS SELECT g, count(*) AS n, sum(id) AS s FROM gt GROUP BY g');
    await c.query(`INSERT INTO gt VALUES ${Array.from({ length: 200 }, (_, i) => `(${i}, ${i % 7})`).join(', ')}`);
    await c.query('FLUSH');
    const actorsOn = async (id: string) => (await rows(c, 'SHOW ACTORS')).filter((a) => a[3] === id).length;
    const onB = await actorsOn(idB!);
    assert.ok(onB > 0, 'the view has actors on the second node');
    const recoveriesBefore = (await rows(c, 'SHOW RECOVERIES')).length;

    const killedAt = Date.now();
    await b.kill9();
    await sleep(2000);
    b = await startB();
    let recs: Array<Array<string | null>> = [];
    for (let i = 0; i < 300; i++) {
      recs = await rows(c, 'SHOW RECOVERIES').catch(() => []);
      if (recs.length > recoveriesBefore) break;
      await sleep(100);
    }
    const rec = recs.at(-1)!;
    assert.ok(recs.length > recoveriesBefore, 'the kill was recovered');
    assert.equal(rec[2], idB, 'the recovery names the lost node');
    const recoveredAt = Date.parse(rec[4]!);
    assert.ok(recoveredAt - killedAt >= 2000, `it waited for the node (${recoveredAt - killedAt} ms after the kill)`);
    assert.ok(recoveredAt - killedAt < GRACE_MS, `and went on as soon as it returned (${recoveredAt - killedAt} ms)`);
    assert.equal(await actorsOn(idB!), onB, 'the returned node runs the same actors again');

    await c.query(`INSERT INTO gt VALUES ${Array.from({ length: 100 }, (_, i) => `(${1000 + i}, ${i % 7})`).join(', ')}`);
    await c.query('FLUSH');
    assert.deepEqual(await rows(c, 'SELECT g, n, s FROM gv ORDER BY g'), await rows(c, 'SELECT g, count(*), sum(id) FROM gt GROUP BY g ORDER BY g'));
    await c.end();
  });
});
