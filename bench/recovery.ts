/**
 * Recovery time: a meta, two compute nodes and a frontend (separate processes); a table of `rows`
 * rows (primary key id, group g, a pad of BENCH_PAD_BYTES) and a GROUP BY view over it (count, sum
 * and max per group: result, min/max input and view tables); then `kills` times: kill -9 one compute
 * node and time (a) detection (kill to meta's recorded detection), (b) recovery as meta records it
 * (detection to recovered), and (c) RTO = from the kill until a FLUSH (a new checkpoint) commits;
 * then restart the node and let the cluster settle. Run at two state sizes:
 *
 *   node --import tsx bench/recovery.ts                 # small (20k rows) and large (1M rows)
 *   BENCH_LARGE_ROWS=5000000 node --import tsx bench/recovery.ts
 *   BENCH_STATE_STORE=s3rver BENCH_LOAD=datagen BENCH_PAD_BYTES=2000 BENCH_LARGE_ROWS=1500000 \
 *     node --import tsx bench/recovery.ts               # several GiB of SSTs on S3 (s3rver)
 *
 * BENCH_LOAD=datagen fills the table from a datagen source (random, incompressible pads of
 * BENCH_PAD_BYTES) instead of INSERTs: much faster to reach gigabytes of state.
 * Prints p50/max per size, each size's load rate (until the view counted every row) and the
 * large/small ratio: recovery must not grow with state. Each size's data is deleted after it ran.
 */
import pg from 'pg';
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, freePort, spawnProc, tmpDir, waitForPg, waitForTcp, type Proc } from '../test/harness/cluster.ts';

const STATE_STORE = process.env.BENCH_STATE_STORE ?? 'fs';
const LOAD = process.env.BENCH_LOAD ?? 'insert';
const PAD_BYTES = Number(process.env.BENCH_PAD_BYTES ?? 64);

const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const SIZES: Array<[string, number]> = [
  ['small', Number(process.env.BENCH_SMALL_ROWS ?? 20_000)],
  ['large', Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000)],
];

// The table holds the rows (its pk lookups on upserts read state lazily after a recovery); the view
// keeps per-group state. Not max(pad): a max over 2 KB random strings stores every pad again, as a
// key, in the view's min/max input table (4x the table's bytes, rewritten by compaction).
const VIEW = 'CREATE MATERIALIZED VIEW v AS SELECT g, count(*) AS n, sum(id) AS s, max(id) AS m FROM t GROUP BY g';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

interface SizeResult { rto: number[]; recovery: number[]; detection: number[]; stateBytes: number; loadSeconds: number }

async function runSize(label: string, rowCount: number): Promise<SizeResult> {
  const dataDir = tmpDir('tributary-bench-rec-');
  const logDir = tmpDir('tributary-bench-rec-log-');
  const metaPort = await freePort();
  const procs: Proc[] = [];
  let env: Record<string, string> = { TRIBUTARY_LOG_LEVEL: 'warn' };
  const metaArgs = [CLI, 'meta', '--listen', `127.0.0.1:${metaPort}`, '--data-dir', dataDir];
  let stateDir = `${dataDir}/state`;
  if (STATE_STORE === 's3rver') {
    stateDir = tmpDir('tributary-bench-rec-s3-');
    const s3Port = await freePort();
    procs.push(spawnProc('s3rver', ['--openssl-legacy-provider', join(ROOT, 'node_modules/s3rver/bin/s3rver.js'), '-d', stateDir, '-a', '127.0.0.1', '-p', String(s3Port), '--silent', '--configure-bucket', 'bench'], { logDir }));
    await waitForTcp(s3Port);
    env = { ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
    metaArgs.push('--state-store', 's3://bench/state');
  }
  const meta = spawnProc('meta', metaArgs, { env, logDir });
  procs.push(meta);
  await waitForTcp(metaPort);
  const ports = [await freePort(), await freePort()];
  const computes: Proc[] = [];
  const startCompute = async (i: number) => {
    computes[i] = spawnProc(`compute${i}`, [CLI, 'compute', '--meta', `127.0.0.1:${metaPort}`, '--listen', `127.0.0.1:${ports[i]}`], { env, logDir });
    procs.push(computes[i]);
    await waitForTcp(ports[i]);
  };
  await startCompute(0);
  await startCompute(1);
  const pgPort = await freePort();
  procs.push(spawnProc('frontend', [CLI, 'frontend', '--meta', `127.0.0.1:${metaPort}`, '--port', String(pgPort)], { env, logDir }));
  await waitForPg(pgPort);
  const c = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'root', database: 'dev' });
  await c.connect();
  const loadStart = Date.now();
  // DDL while the cluster recovers (a node missed a heartbeat on a busy machine) is refused with 55000: retry.
  const ddl = async (q: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await c.query(q);
      } catch (err) {
        if ((err as { code?: string }).code !== '55000' || attempt > 100) throw err;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  };
  if (LOAD === 'datagen') {
    await ddl(`CREATE TABLE t (id BIGINT PRIMARY KEY, g INT, pad VARCHAR) WITH (connector = 'datagen',
      fields.id.kind = 'sequence', fields.id.start = '0', fields.id.end = '${rowCount - 1}',
      fields.g.min = '0', fields.g.max = '49999', fields.pad.length = '${PAD_BYTES}',
      datagen.rows.per.second = '1000000', datagen.split.num = '4')`);
    await ddl(VIEW);
    for (let last = 0; ; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const n = Number((await c.query('SELECT coalesce(sum(n), 0) AS n FROM v')).rows[0].n);
      if (n >= rowCount) break;
      if (Date.now() - last > 30_000) {
        console.error(`  ${label}: ${n.toLocaleString()} of ${rowCount.toLocaleString()} rows after ${((Date.now() - loadStart) / 1000).toFixed(0)} s`);
        last = Date.now();
      }
    }
  } else {
    await ddl('CREATE TABLE t (id BIGINT PRIMARY KEY, g INT, pad VARCHAR)');
    await ddl(VIEW);
    const pad = 'x'.repeat(PAD_BYTES);
    for (let i = 0; i < rowCount; i += 2000) {
      const vals: string[] = [];
      for (let j = i; j < Math.min(rowCount, i + 2000); j++) vals.push(`(${j},${j % 50000},'${pad}${j}')`);
      await c.query(`INSERT INTO t VALUES ${vals.join(',')}`);
    }
  }
  await c.query('FLUSH');
  const loadSeconds = (Date.now() - loadStart) / 1000;
  const stateBytes = Number(execSync(`du -sb ${stateDir}`).toString().split('\t')[0]);
  console.error(`  ${label}: ${rowCount.toLocaleString()} rows, ${(stateBytes / 2 ** 20).toFixed(0)} MiB of state (${STATE_STORE}) in ${loadSeconds.toFixed(0)} s: ${loadRate(rowCount, loadSeconds)}`);
  const rto: number[] = [];
  const recovery: number[] = [];
  const detection: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const before = (await c.query('SHOW RECOVERIES')).rows.length;
    const victim = k % 2;
    const t0 = Date.now();
    await computes[victim].kill9();
    for (;;) {
      try {
        await c.query('FLUSH');
        const recs = (await c.query('SHOW RECOVERIES')).rows;
        if (recs.length > before) break;
      } catch {
        // recovering
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    rto.push(Date.now() - t0);
    const recs = (await c.query('SHOW RECOVERIES')).rows;
    recovery.push(Number(recs[recs.length - 1]['RTO ms']));
    // Detection: from the kill to the failure meta recorded (the control stream closing).
    detection.push(Math.max(0, Date.parse(recs[recs.length - 1]['Detected At']) - t0));
    const rebalancesBefore = (await c.query('SHOW REBALANCES')).rows.length;
    await startCompute(victim);
    // Let the node rejoin (an online rebalance, or a recovery) before the next kill.
    for (let tries = 0; tries < 400; tries++) {
      const n = (await c.query('SHOW RECOVERIES')).rows.length;
      const m = (await c.query('SHOW REBALANCES')).rows.length;
      if (n >= before + 2 || m > rebalancesBefore) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.query('FLUSH').catch(() => {});
  }
  const check = await c.query('SELECT sum(n) AS n FROM v');
  if (Number(check.rows[0].n) !== rowCount) throw new Error(`${label}: view has ${check.rows[0].n} rows, expected ${rowCount}`);
  await c.end();
  for (const p of procs) await p.kill9();
  // Several GiB at the large size: the next size (and the disk) should not keep them.
  rmSync(dataDir, { recursive: true, force: true });
  if (stateDir !== `${dataDir}/state`) rmSync(stateDir, { recursive: true, force: true });
  return { rto, recovery, detection, stateBytes, loadSeconds };
}

/** Load throughput until the view counted every row: rows/s and MB/s of row payload (id, g, pad). */
function loadRate(rowCount: number, seconds: number): string {
  return `${Math.round(rowCount / seconds).toLocaleString()} rows/s, ${((rowCount * (12 + PAD_BYTES)) / seconds / 1e6).toFixed(2)} MB/s`;
}

async function main(): Promise<void> {
  const results: Record<string, SizeResult> = {};
  for (const [label, n] of SIZES) {
    console.error(`${label}: ${n.toLocaleString()} rows ...`);
    results[label] = await runSize(label, n);
  }
  console.log('state      SST bytes     kills  detection p50/max (ms)  recovery p50/max (ms)  RTO to next checkpoint p50/max (ms)');
  for (const [label] of SIZES) {
    const r = results[label];
    console.log(`${label.padEnd(10)} ${String(r.stateBytes).padStart(12)}  ${String(r.rto.length).padStart(5)}  ${String(pct(r.detection, 50)).padStart(9)} / ${String(Math.max(...r.detection)).padEnd(10)} ${String(pct(r.recovery, 50)).padStart(8)} / ${String(Math.max(...r.recovery)).padEnd(10)} ${String(pct(r.rto, 50)).padStart(12)} / ${Math.max(...r.rto)}`);
  }
  for (const [label, n] of SIZES) console.log(`${label} load: ${loadRate(n, results[label].loadSeconds)} (${STATE_STORE}, ${LOAD})`);
  const ratio = pct(results.large.rto, 50) / pct(results.small.rto, 50);
  console.log(`large/small RTO p50 ratio: ${ratio.toFixed(2)} with ${(results.large.stateBytes / results.small.stateBytes).toFixed(1)}x the state`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
