// Object store faults end to end: compute nodes whose uploads fail at random (as S3 does once its
// retries give up), then a compute node killed with SIGKILL while its checkpoint upload is in
// progress. A failed upload fails its checkpoint (the cluster recovers), nothing partial is
// committed, every acknowledged row is present and the view stays exact.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { CLI, connect, dumpLogs, freePort, rows, spawnProc, tmpDir, waitForPg, waitForTcp, type Proc } from '../harness/cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('object store faults', () => {
  const dataDir = tmpDir('tributary-faults-');
  const logDir = tmpDir('tributary-faults-log-');
  const procs: Proc[] = [];
  const env = { TRIBUTARY_LOG_LEVEL: 'info' };
  let metaPort = 0;
  let pgPort = 0;
  const computePorts: number[] = [];
  const computes: Proc[] = [];

  const startCompute = async (i: number, faults?: string) => {
    const c = spawnProc(`compute${i}`, [CLI, 'compute', '--meta', `127.0.0.1:${metaPort}`, '--listen', `127.0.0.1:${computePorts[i]}`], {
      env: { ...env, ...(faults ? { TRIBUTARY_OBJECT_STORE_FAULTS: faults } : {}) },
      logDir,
    });
    procs.push(c);
    computes[i] = c;
    await waitForTcp(computePorts[i], 20_000, c);
  };

  after(async () => {
    for (const p of procs) await p.kill9();
  });

  it('failed uploads fail checkpoints, a kill mid-upload loses nothing, views stay exact', { timeout: 240_000 }, async () => {
    try {
      metaPort = await freePort();
      pgPort = await freePort();
      for (let i = 0; i < 2; i++) computePorts.push(await freePort());
      const meta = spawnProc('meta', [CLI, 'meta', '--listen', `127.0.0.1:${metaPort}`, '--data-dir', dataDir], { env, logDir });
      procs.push(meta);
      await waitForTcp(metaPort, 20_000, meta);
      // Phase 1: one in five uploads of every compute node fails.
      for (let i = 0; i < 2; i++) await startCompute(i, 'upload:fail=0.2,put:fail=0.2');
      const frontend = spawnProc('frontend', [CLI, 'frontend', '--meta', `127.0.0.1:${metaPort}`, '--port', String(pgPort)], { env, logDir });
      procs.push(frontend);
      await waitForPg(pgPort, 40_000, frontend);

      const admin = await connect(pgPort);
      // DDL during a recovery (a failed upload) is refused with 55000 and a hint to retry.
      const ddl = async (q: string) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await admin.query(q);
          } catch (err) {
            if ((err as { code?: string }).code !== '55000' || attempt > 50) throw err;
            await sleep(300);
          }
        }
      };
      await ddl('CREATE TABLE t (id INT PRIMARY KEY, g INT)');
      await ddl('CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(id) AS s FROM t GROUP BY g');

      const acked: number[] = [];
      let writing = true;
      const writer = (async () => {
        let client: pg.Client | null = null;
        for (let id = 1; writing; id++) {
          try {
            if (!client) {
              client = await connect(pgPort);
              await client.query('SET implicit_flush = on');
            }
            // A few rows per statement so every checkpoint has something to upload.
            await client.query(`INSERT INTO t VALUES (${id * 4}, ${id % 7}), (${id * 4 + 1}, ${id % 7}), (${id * 4 + 2}, ${id % 3}), (${id * 4 + 3}, ${id % 3})`);
            acked.push(id * 4, id * 4 + 1, id * 4 + 2, id * 4 + 3);
          } catch {
            await client?.end().catch(() => {});
            client = null;
            await sleep(200);
          }
        }
        await client?.end().catch(() => {});
      })();

      await sleep(10_000);
      const phase1Recoveries = (await rows(admin, 'SHOW RECOVERIES').catch(() => [])).length;
      const ackedInPhase1 = acked.length;

      // Phase 2: compute 0 restarts with uploads that take seconds; it is killed mid-upload.
      await computes[0].kill9();
      await computes[1].kill9();
      await startCompute(1);
      await startCompute(0, 'upload:delay=3000,put:delay=3000');
      // Kill it while a checkpoint upload is in flight: within the 3 s its delayed write takes.
      const uploading = /object store fault: delaying the call.*"op":"(upload|put)"|"op":"(upload|put)".*object store fault: delaying the call/;
      for (let i = 0; i < 300 && !uploading.test(computes[0].log()); i++) await sleep(50);
      assert.match(computes[0].log(), uploading, 'an upload was in flight');
      await computes[0].kill9();
      await startCompute(0);
      await sleep(4000);
      writing = false;
      await writer;

      const c = await connect(pgPort);
      await c.query('FLUSH');
      const present = new Set((await rows(c, 'SELECT id FROM t')).map((r) => Number(r[0])));
      const lost = acked.filter((id) => !present.has(id));
      assert.deepEqual(lost, [], `acknowledged rows lost (${acked.length} acknowledged)`);
      assert.ok(ackedInPhase1 > 20, `the writer made progress with a flaky store (${ackedInPhase1} rows acknowledged)`);
      assert.ok(acked.length > ackedInPhase1, 'and after the kill mid-upload');
      const fromTable = await rows(c, 'SELECT g, count(*), sum(id) FROM t GROUP BY g ORDER BY g');
      assert.deepEqual(await rows(c, 'SELECT g, n, s FROM by_g ORDER BY g'), fromTable, 'the view is exact');
      assert.ok(phase1Recoveries > 0, 'failed uploads failed checkpoints, which triggered recoveries');
      const recoveries = await rows(c, 'SHOW RECOVERIES');
      assert.ok(recoveries.some((r) => /upload|object store|barrier|failed/i.test(r.join(' '))), `a recovery names the failed checkpoint:\n${recoveries.map((r) => r.join(' | ')).join('\n')}`);
      await c.end();
      await admin.end();
    } catch (e) {
      dumpLogs(procs.slice(-6), 4000);
      throw e;
    }
  });
});
