// The compactor role: meta hands compaction tasks to a separate `tributary compactor` process; when
// it is killed, meta compacts by itself; results stay exact throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, connect, rows, spawnProc, startCluster, tmpDir, withLogs, type Proc } from '../harness/cluster.ts';

const run = promisify(execFile);

test('compaction runs on a compactor node, and in meta once it is gone', { timeout: 180_000 }, async () => {
  const env = { TRIBUTARY_COMPACTION_L0_TRIGGER: '2', TRIBUTARY_LOG_LEVEL: 'info' };
  const c = await startCluster({ computeCount: 1, env });
  let compactor: Proc | null = null;
  await withLogs(() => [...c.procs, ...(compactor ? [compactor] : [])], async () => {
    compactor = spawnProc('compactor', [CLI, 'compactor', '--meta', `127.0.0.1:${c.metaPort}`], { env, logDir: tmpDir('tributary-log-') });
    const ctl = async (...args: string[]) =>
      (await run(process.execPath, [CLI, 'ctl', 'hummock', ...args, '--meta', `127.0.0.1:${c.metaPort}`], { timeout: 120_000 })).stdout;
    for (const deadline = Date.now() + 30_000; !/compactor started/.test(compactor.log()); ) {
      if (Date.now() > deadline) throw new Error('the compactor did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const db = await connect(c.pgPort);
    try {
      await db.query('CREATE TABLE t (k INT PRIMARY KEY, v INT)');
      await db.query('CREATE MATERIALIZED VIEW s AS SELECT count(*) AS n, sum(v) AS total FROM t');
      let k = 0;
      const writeRounds = async (n: number) => {
        for (let r = 0; r < n; r++) {
          const values = Array.from({ length: 200 }, () => `(${k++}, ${k % 10})`).join(',');
          await db.query(`INSERT INTO t VALUES ${values}`);
          await db.query('FLUSH');
        }
      };
      const recent = async () => JSON.parse(await ctl('compact')).recent as Array<{ status: string; ranOn: string }>;
      await writeRounds(6);
      await new Promise((r) => setTimeout(r, 1000));
      const remote = (await recent()).filter((t) => t.status === 'committed' && t.ranOn === 'compactor');
      assert.ok(remote.length > 0, 'tasks ran on the compactor node');
      assert.match(compactor!.log(), /compaction task done/);

      await compactor!.kill9();
      await new Promise((r) => setTimeout(r, 500));
      await writeRounds(6);
      await new Promise((r) => setTimeout(r, 1000));
      const last = (await recent()).slice(-2);
      assert.ok(last.some((t) => t.status === 'committed' && t.ranOn === 'meta'), `meta compacts without a compactor: ${JSON.stringify(last)}`);
      assert.deepEqual(await rows(db, 'SELECT n, total FROM s'), await rows(db, 'SELECT count(*), sum(v) FROM t'));
      assert.deepEqual(await rows(db, 'SELECT count(*) FROM t'), [[String(k)]]);
      const version = await ctl('version');
      assert.match(version, /^L0 +[01] sub-levels/m, `L0 stays small:\n${version}`);
    } finally {
      await db.end();
      await compactor?.kill9();
      await c.stop();
    }
  });
});
