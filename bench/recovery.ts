/**
 * Recovery time: a meta, two compute nodes and a frontend (separate processes); a table with a
 * GROUP BY view holding `rows` rows of state; then `kills` times: kill -9 one compute node and time
 * (a) detection + recovery as meta records it, and (b) RTO = from the kill until a FLUSH (a new
 * checkpoint) commits; then restart the node and let the cluster settle. Run at two state sizes:
 *
 *   node --import tsx bench/recovery.ts                 # small (20k rows) and large (1M rows)
 *   BENCH_LARGE_ROWS=5000000 node --import tsx bench/recovery.ts
 *
 * Prints p50/max per size and the large/small ratio: recovery must not grow with state.
 */
import pg from 'pg';
import { CLI, freePort, spawnProc, tmpDir, waitForPg, waitForTcp, type Proc } from '../test/harness/cluster.ts';

const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const SIZES: Array<[string, number]> = [
  ['small', Number(process.env.BENCH_SMALL_ROWS ?? 20_000)],
  ['large', Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000)],
];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function runSize(label: string, rowCount: number): Promise<{ rto: number[]; recovery: number[]; stateBytes: number }> {
  const dataDir = tmpDir('tributary-bench-rec-');
  const logDir = tmpDir('tributary-bench-rec-log-');
  const metaPort = await freePort();
  const procs: Proc[] = [];
  const env = { TRIBUTARY_LOG_LEVEL: 'warn' };
  const meta = spawnProc('meta', [CLI, 'meta', '--listen', `127.0.0.1:${metaPort}`, '--data-dir', dataDir], { env, logDir });
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
  await c.query('CREATE TABLE t (id BIGINT PRIMARY KEY, g INT, pad VARCHAR)');
  await c.query('CREATE MATERIALIZED VIEW v AS SELECT g, count(*) AS n, sum(id) AS s, max(pad) AS m FROM t GROUP BY g');
  const pad = 'x'.repeat(64);
  for (let i = 0; i < rowCount; i += 2000) {
    const vals: string[] = [];
    for (let j = i; j < Math.min(rowCount, i + 2000); j++) vals.push(`(${j},${j % 50000},'${pad}${j}')`);
    await c.query(`INSERT INTO t VALUES ${vals.join(',')}`);
  }
  await c.query('FLUSH');
  const { execSync } = await import('node:child_process');
  const stateBytes = Number(execSync(`du -sb ${dataDir}/state`).toString().split('\t')[0]);
  const rto: number[] = [];
  const recovery: number[] = [];
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
    await startCompute(victim);
    // Let the rejoin recovery finish before the next kill.
    for (let tries = 0; tries < 200; tries++) {
      const n = (await c.query('SHOW RECOVERIES')).rows.length;
      if (n >= before + 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.query('FLUSH').catch(() => {});
  }
  const check = await c.query('SELECT sum(n) AS n FROM v');
  if (Number(check.rows[0].n) !== rowCount) throw new Error(`${label}: view has ${check.rows[0].n} rows, expected ${rowCount}`);
  await c.end();
  for (const p of procs) await p.kill9();
  return { rto, recovery, stateBytes };
}

async function main(): Promise<void> {
  const results: Record<string, { rto: number[]; recovery: number[]; stateBytes: number }> = {};
  for (const [label, n] of SIZES) {
    console.error(`${label}: ${n.toLocaleString()} rows ...`);
    results[label] = await runSize(label, n);
  }
  console.log('state      SST bytes     kills  recovery p50/max (ms)  RTO to next checkpoint p50/max (ms)');
  for (const [label] of SIZES) {
    const r = results[label];
    console.log(`${label.padEnd(10)} ${String(r.stateBytes).padStart(12)}  ${String(r.rto.length).padStart(5)}  ${String(pct(r.recovery, 50)).padStart(8)} / ${String(Math.max(...r.recovery)).padEnd(10)} ${String(pct(r.rto, 50)).padStart(12)} / ${Math.max(...r.rto)}`);
  }
  const ratio = pct(results.large.rto, 50) / pct(results.small.rto, 50);
  console.log(`large/small RTO p50 ratio: ${ratio.toFixed(2)} with ${(results.large.stateBytes / results.small.stateBytes).toFixed(1)}x the state`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
