/**
 * Inserts N rows (default 1,000,000) through a GROUP BY materialized view on an in-process
 * playground and prints rows/s end to end (until FLUSH shows every row in the view) and the p50/p99
 * barrier inject-to-commit latency measured by meta.
 *
 *   npm run bench                 # 1,000,000 rows
 *   BENCH_ROWS=200000 npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startComputeNode } from '@tributary/compute';
import { startMetaNode } from '@tributary/meta';
import { startFrontendNode } from '@tributary/sql';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const INTERVALS = (process.env.BENCH_BARRIER_INTERVALS ?? '1000,10000').split(',').map(Number);
const ACK_SAMPLES = 200;
const ROWS_PER_INSERT = 2000;
const CLIENTS = 4;
const GROUPS = 1000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

interface Result {
  rowsPerSecond: number;
  latencies: number[];
  ackDurable: number[];
  ackAsync: number[];
  exact: boolean;
}

async function main(): Promise<void> {
  process.env.TRIBUTARY_LOG_LEVEL ??= 'warn';
  const results: Array<[number, Result]> = [];
  for (const interval of INTERVALS) results.push([interval, await run(interval)]);
  for (const [interval, r] of results) {
    console.log(`\n--barrier-interval-ms ${interval}`);
    console.log(`  insert through GROUP BY view: ${Math.round(r.rowsPerSecond).toLocaleString()} rows/s end to end (${ROWS.toLocaleString()} rows, view ${r.exact ? 'exact' : 'MISMATCH'})`);
    console.log(`  barrier commit latency: p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms over ${r.latencies.length} checkpoints`);
    console.log(`  single-row INSERT ack, durable (implicit_flush on): p50 ${percentile(r.ackDurable, 50).toFixed(1)} ms, p99 ${percentile(r.ackDurable, 99).toFixed(1)} ms`);
    console.log(`  single-row INSERT ack, async (implicit_flush off):  p50 ${percentile(r.ackAsync, 50).toFixed(1)} ms, p99 ${percentile(r.ackAsync, 99).toFixed(1)} ms`);
  }
  if (results.length === 2) console.log(`\nthroughput ratio ${INTERVALS[0]} ms / ${INTERVALS[1]} ms checkpoints: ${(results[0][1].rowsPerSecond / results[1][1].rowsPerSecond).toFixed(2)}`);
  process.exit(results.every(([, r]) => r.exact) ? 0 : 1);
}

async function run(barrierIntervalMs: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const meta = await startMetaNode({ listen: '127.0.0.1:0', dataDir: dir, startupWaitMs: 0, barrierIntervalMs });
  const compute = await startComputeNode({ meta: meta.address, listen: '127.0.0.1:0', parallelism: 2 });
  const fe = await startFrontendNode({ meta: meta.address, host: '127.0.0.1', port: 0 });
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: fe.port, user: 'root', database: 'dev' });
    await c.connect();
    // Bulk load: acknowledge at stream entry, one FLUSH at the end (durable acks measured below).
    await c.query('SET implicit_flush = off');
    return c;
  }));
  const c0 = clients[0];
  await c0.query('CREATE TABLE events (id BIGINT PRIMARY KEY, grp INT, amount BIGINT)');
  await c0.query('CREATE MATERIALIZED VIEW per_group AS SELECT grp, count(*) AS n, sum(amount) AS total FROM events GROUP BY grp');
  const before = meta.context.barriers.commitLatenciesMs.length;
  console.error(`barrier interval ${barrierIntervalMs} ms: inserting ${ROWS.toLocaleString()} rows ...`);
  const started = performance.now();
  let next = 0;
  let lastReport = started;
  await Promise.all(clients.map(async (c) => {
    for (;;) {
      const start = next;
      if (start >= ROWS) return;
      next += ROWS_PER_INSERT;
      const end = Math.min(ROWS, start + ROWS_PER_INSERT);
      const values: string[] = [];
      for (let i = start; i < end; i++) values.push(`(${i},${i % GROUPS},${i % 100})`);
      await c.query(`INSERT INTO events VALUES ${values.join(',')}`);
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        console.error(`  ... ${next.toLocaleString()} rows sent`);
      }
    }
  }));
  const sentMs = performance.now() - started;
  await c0.query('FLUSH');
  const totalMs = performance.now() - started;
  const res = await c0.query('SELECT sum(n) AS n FROM per_group');
  const seen = Number(res.rows[0].n);
  const lat = meta.context.barriers.commitLatenciesMs.slice(before);
  console.error(`  (acked in ${(sentMs / 1000).toFixed(1)} s, visible after ${(totalMs / 1000).toFixed(1)} s)`);
  const ack = async (mode: 'on' | 'off'): Promise<number[]> => {
    await c0.query(`SET implicit_flush = ${mode}`);
    const out: number[] = [];
    for (let i = 0; i < ACK_SAMPLES; i++) {
      const t = performance.now();
      await c0.query(`INSERT INTO events VALUES (${ROWS + (mode === 'on' ? 0 : ACK_SAMPLES) + i}, 1, 1)`);
      out.push(performance.now() - t);
    }
    return out;
  };
  const ackDurable = await ack('on');
  const ackAsync = await ack('off');
  for (const c of clients) await c.end();
  await fe.close();
  await compute.close();
  await meta.close();
  rmSync(dir, { recursive: true, force: true });
  return { rowsPerSecond: ROWS / (totalMs / 1000), latencies: lat, ackDurable, ackAsync, exact: seen === ROWS };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
