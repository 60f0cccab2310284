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
const ROWS_PER_INSERT = 2000;
const CLIENTS = 4;
const GROUPS = 1000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
  process.env.TRIBUTARY_LOG_LEVEL ??= 'warn';
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const meta = await startMetaNode({ listen: '127.0.0.1:0', dataDir: dir, startupWaitMs: 0 });
  const compute = await startComputeNode({ meta: meta.address, listen: '127.0.0.1:0', parallelism: 2 });
  const fe = await startFrontendNode({ meta: meta.address, host: '127.0.0.1', port: 0 });
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: fe.port, user: 'root', database: 'dev' });
    await c.connect();
    return c;
  }));
  const c0 = clients[0];
  await c0.query('CREATE TABLE events (id BIGINT PRIMARY KEY, grp INT, amount BIGINT)');
  await c0.query('CREATE MATERIALIZED VIEW per_group AS SELECT grp, count(*) AS n, sum(amount) AS total FROM events GROUP BY grp');
  const before = meta.context.barriers.commitLatenciesMs.length;
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
  console.log(`rows: ${ROWS.toLocaleString()} (view counted ${seen.toLocaleString()}${seen === ROWS ? ', exact' : ', MISMATCH'})`);
  console.log(`insert+view throughput: ${Math.round(ROWS / (totalMs / 1000)).toLocaleString()} rows/s end to end (${(totalMs / 1000).toFixed(1)} s; acked in ${(sentMs / 1000).toFixed(1)} s)`);
  console.log(`barrier commit latency over ${lat.length} checkpoints: p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
  for (const c of clients) await c.end();
  await fe.close();
  await compute.close();
  await meta.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(seen === ROWS ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
