// DROP removes a relation's stored state, not only its catalog entry: its state tables (the
// table's rows, a view's result and internal aggregation state) are recorded as dropped in the
// same meta-store transaction, compaction drops their keys, and SSTs holding only them vanish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, connect, rows, startCluster, withLogs, type Cluster } from '../harness/cluster.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Table ids present in the SSTs of the current version (`ctl hummock sst list --json`). */
async function sstTableIds(c: Cluster): Promise<Set<number>> {
  const { stdout } = await run(process.execPath, [CLI, 'ctl', 'hummock', 'sst', 'list', '--json', '--meta', `127.0.0.1:${c.metaPort}`], { timeout: 60_000 });
  return new Set((JSON.parse(stdout) as Array<{ tableIds: number[] }>).flatMap((s) => s.tableIds));
}

test('DROP ... CASCADE reclaims the dropped relations\' stored state through compaction', { timeout: 180_000 }, async (t) => {
  const c = await startCluster({ computeCount: 1, env: { TRIBUTARY_COMPACTION_L0_TRIGGER: '2', TRIBUTARY_SAFE_EPOCH_GRACE_MS: '0' } });
  t.after(() => c.stop());
  await withLogs(() => c.procs, async () => {
    const db = await connect(c.pgPort);
    await db.query('CREATE TABLE keep_t (id INT PRIMARY KEY, v INT)');
    await db.query(`INSERT INTO keep_t VALUES ${Array.from({ length: 500 }, (_, i) => `(${i}, ${i})`).join(', ')}`);
    await db.query('FLUSH');
    const keepIds = await sstTableIds(c);
    assert.equal(keepIds.size, 1, `one table's SSTs: ${[...keepIds]}`);

    await db.query('CREATE TABLE gone_t (id INT PRIMARY KEY, g INT, v INT)');
    await db.query('CREATE MATERIALIZED VIEW gone_mv AS SELECT g, count(*) AS n, max(v) AS m FROM gone_t GROUP BY g');
    for (let round = 0; round < 4; round++) {
      await db.query(`INSERT INTO gone_t VALUES ${Array.from({ length: 500 }, (_, i) => `(${round * 500 + i}, ${i % 17}, ${i})`).join(', ')}`);
      await db.query('FLUSH');
    }
    const before = await sstTableIds(c);
    assert.ok(before.size >= 4, `the table, the view and its state are stored: ${[...before]}`);

    await db.query('DROP TABLE gone_t CASCADE');
    // Keep epochs committing (compaction runs after commits) until only keep_t's table is left.
    let ids = before;
    for (let i = 0; i < 150 && [...ids].some((t) => !keepIds.has(t)); i++) {
      await db.query(`INSERT INTO keep_t VALUES (${1000 + i}, ${i})`);
      await sleep(200);
      ids = await sstTableIds(c);
    }
    assert.deepEqual([...ids], [...keepIds], 'no SST holds a dropped table any more');
    assert.deepEqual(await rows(db, 'SELECT count(*), sum(v) FROM keep_t WHERE id < 500'), [['500', String((499 * 500) / 2)]]);
    await db.end();
  });
});
