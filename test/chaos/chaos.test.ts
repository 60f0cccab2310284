// Chaos: a cluster of meta + 3 compute nodes + frontend (separate processes) runs views over a
// datagen source, over a table a client keeps inserting into, and over a join of the two. Random
// compute nodes (CHAOS_SEED) are killed with SIGKILL again and again (some restarted: they rejoin through online rebalances), once the
// frontend and once meta. At the end every view equals the exact expected result (no loss, no
// duplicates) and every acknowledged row is present.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { CLI, connect, dumpLogs, freePort, rows, spawnProc, tmpDir, waitForPg, waitForTcp, type Proc } from '../harness/cluster.ts';
import { rng } from '../harness/rng.ts';

const SOURCE_ROWS = Number(process.env.CHAOS_SOURCE_ROWS ?? 4000);
const SOURCE_RATE = Number(process.env.CHAOS_SOURCE_RATE ?? 400);
const KILLS = Number(process.env.CHAOS_KILLS ?? 4);
/** Which compute node dies at each kill (CHAOS_SEED for another sequence). */
const SEED = Number(process.env.CHAOS_SEED ?? 20261205);

describe('chaos: kill -9 of compute nodes, the frontend and meta', () => {
  const dataDir = tmpDir('tributary-chaos-');
  const logDir = tmpDir('tributary-chaos-log-');
  const procs: Proc[] = [];
  const env = { TRIBUTARY_LOG_LEVEL: 'info' };
  let metaPort = 0;
  let pgPort = 0;
  const computePorts: number[] = [];
  const computes: (Proc | null)[] = [];
  let meta: Proc;
  let frontend: Proc;

  const startMeta = async () => {
    meta = spawnProc('meta', [CLI, 'meta', '--listen', `127.0.0.1:${metaPort}`, '--data-dir', dataDir, '--heartbeat-timeout-ms', '2000'], { env, logDir });
    procs.push(meta);
    await waitForTcp(metaPort, 20_000, meta);
  };
  const startCompute = async (i: number) => {
    const c = spawnProc(`compute${i}`, [CLI, 'compute', '--meta', `127.0.0.1:${metaPort}`, '--listen', `127.0.0.1:${computePorts[i]}`], { env, logDir });
    procs.push(c);
    computes[i] = c;
    await waitForTcp(computePorts[i], 60_000, c); // a loaded machine starts a process slowly
  };
  const startFrontend = async () => {
    frontend = spawnProc('frontend', [CLI, 'frontend', '--meta', `127.0.0.1:${metaPort}`, '--port', String(pgPort)], { env, logDir });
    procs.push(frontend);
    await waitForPg(pgPort, 40_000, frontend);
  };

  after(async () => {
    for (const p of procs) await p.kill9();
  });

  it('keeps every view exact and every acknowledged write', { timeout: 240_000 }, async () => {
    try {
      metaPort = await freePort();
      pgPort = await freePort();
      for (let i = 0; i < 3; i++) computePorts.push(await freePort());
      await startMeta();
      for (let i = 0; i < 3; i++) await startCompute(i);
      await startFrontend();

      const admin = await connect(pgPort);
      await admin.query(`CREATE TABLE src (id BIGINT PRIMARY KEY, v INT) WITH (connector = 'datagen',
        fields.id.kind = 'sequence', fields.id.start = '1', fields.id.end = '${SOURCE_ROWS}',
        fields.v.min = '0', fields.v.max = '9', datagen.rows.per.second = '${SOURCE_RATE}', datagen.split.num = '6')`);
      await admin.query('CREATE TABLE acked (id INT PRIMARY KEY, g INT)');
      await admin.query('CREATE MATERIALIZED VIEW src_total AS SELECT count(*) AS n, sum(id) AS s FROM src');
      await admin.query('CREATE MATERIALIZED VIEW src_by_k AS SELECT id % 10 AS k, count(*) AS n, sum(id) AS s FROM src GROUP BY id % 10');
      await admin.query('CREATE MATERIALIZED VIEW acked_by_g AS SELECT g, count(*) AS n, sum(id) AS s FROM acked GROUP BY g');
      // A join of the writer's table with the source (both sides hash-exchanged by id), aggregated.
      await admin.query('CREATE MATERIALIZED VIEW acked_src AS SELECT acked.g, count(*) AS n, sum(src.v) AS sv FROM acked JOIN src ON acked.id = src.id GROUP BY acked.g');
      await admin.end();

      // The writer: one INSERT at a time with durable acknowledgements; remembers what was acked.
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
            await client.query(`INSERT INTO acked VALUES (${id}, ${id % 5})`);
            acked.push(id);
          } catch {
            // Not acknowledged (node killed, recovering): may or may not be applied; retried as a new id.
            await client?.end().catch(() => {});
            client = null;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
        await client?.end().catch(() => {});
      })();

      // Kill random compute nodes (never the last live one), restart some; then the frontend; then meta.
      const random = rng(SEED);
      const dead = (i: number) => computes[i]!.child.exitCode !== null || computes[i]!.child.signalCode !== null;
      const killed: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 2500));
        const live = [0, 1, 2].filter((i) => !dead(i));
        if (live.length === 1) await startCompute([0, 1, 2].find(dead)!);
        const i = live[Math.floor(random() * live.length)];
        killed.push(i);
        await computes[i]!.kill9();
        if (random() < 0.5) await startCompute(i);
      }
      process.stderr.write(`chaos: killed compute nodes ${killed.join(', ')} (CHAOS_SEED=${SEED})\n`);
      for (let i = 0; i < 3; i++) if (dead(i)) await startCompute(i);
      await new Promise((r) => setTimeout(r, 1500));
      await frontend.kill9();
      await startFrontend();
      await new Promise((r) => setTimeout(r, 1500));
      await meta.kill9();
      await startMeta();
      await waitForPg(pgPort, 40_000, frontend);
      await new Promise((r) => setTimeout(r, 3000));
      writing = false;
      await writer;

      // Let the source finish, then compare.
      const c = await connect(pgPort);
      const deadline = Date.now() + 120_000;
      for (;;) {
        await c.query('FLUSH').catch(() => {});
        const [[n]] = await rows(c, 'SELECT n FROM src_total').catch(() => [['0']]);
        if (Number(n) >= SOURCE_ROWS || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const sum = (BigInt(SOURCE_ROWS) * BigInt(SOURCE_ROWS + 1)) / 2n;
      assert.deepEqual(await rows(c, 'SELECT n, s FROM src_total'), [[String(SOURCE_ROWS), String(sum)]], 'source view is exact');
      assert.deepEqual(await rows(c, 'SELECT count(*), sum(id) FROM src'), [[String(SOURCE_ROWS), String(sum)]], 'source table is exact');
      const byK = await rows(c, 'SELECT k, n, s FROM src_by_k ORDER BY k');
      const expK = Array.from({ length: 10 }, (_, k) => {
        let n = 0;
        let s = 0n;
        for (let id = k === 0 ? 10 : k; id <= SOURCE_ROWS; id += 10) {
          n++;
          s += BigInt(id);
        }
        return [String(k), String(n), String(s)];
      });
      assert.deepEqual(byK, expK, 'grouped source view is exact');

      const present = new Set((await rows(c, 'SELECT id FROM acked')).map((r) => Number(r[0])));
      const lost = acked.filter((id) => !present.has(id));
      assert.deepEqual(lost, [], `acknowledged rows lost (${acked.length} acknowledged)`);
      assert.ok(acked.length > 10, `the writer made progress (${acked.length} acknowledged)`);
      // The view over `acked` equals a recomputation from the table (exactly once).
      const fromTable = await rows(c, 'SELECT g, count(*), sum(id) FROM acked GROUP BY g ORDER BY g');
      assert.deepEqual(await rows(c, 'SELECT g, n, s FROM acked_by_g ORDER BY g'), fromTable, 'view over acked is exact');
      const joined = await rows(c, 'SELECT acked.g, count(*), sum(src.v) FROM acked JOIN src ON acked.id = src.id GROUP BY acked.g ORDER BY acked.g');
      assert.ok(joined.length > 0, 'the join has rows');
      assert.deepEqual(await rows(c, 'SELECT g, n, sv FROM acked_src ORDER BY g'), joined, 'join view is exact');
      // Kills that land during a recovery are handled by that recovery, and a restarted node
      // joins through an online rebalance (no recovery), so kills are not a lower bound.
      // SHOW asks meta; the frontend may still be reconnecting to the restarted meta.
      const retry = async (sql: string) => {
        for (let i = 0; ; i++) {
          try {
            return await rows(c, sql);
          } catch (e) {
            if (i >= 20) throw e;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      };
      const recoveries = await retry('SHOW RECOVERIES');
      assert.ok(recoveries.length >= 2, `recoveries were recorded (${recoveries.length})`);
      const rebalances = await retry('SHOW REBALANCES');
      process.stderr.write(`chaos: ${recoveries.length} recoveries, ${rebalances.length} rebalances (${rebalances.map((r) => r[2]).join(', ')})\n`);
      await c.end();
    } catch (e) {
      dumpLogs(procs.slice(-8), 4000);
      throw e;
    }
  });
});
