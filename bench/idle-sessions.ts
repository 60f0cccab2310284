/**
 * What idle sessions cost the frontend: memory per open connection and the latency of a query
 * on a busy session with and without hundreds of idle ones beside it (one playground).
 *
 *   node --import tsx bench/idle-sessions.ts          # 500 idle sessions (BENCH_SESSIONS)
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { connect, startPlayground } from '../test/harness/cluster.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 500);
const QUERIES = 300;

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

async function queryLatencies(c: pg.Client): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    await c.query('SELECT id, v FROM idle_t WHERE id < 10');
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const p = await startPlayground();
  const busy = await connect(p.port);
  await busy.query('CREATE TABLE idle_t (id INT PRIMARY KEY, v INT)');
  await busy.query(`INSERT INTO idle_t VALUES ${Array.from({ length: 100 }, (_, i) => `(${i}, ${i})`).join(', ')}`);
  await queryLatencies(busy); // warm up
  global.gc?.();
  await new Promise((r) => setTimeout(r, 2000));
  const pid = p.proc.child.pid!;
  const rssBefore = rssBytes(pid);
  const alone = await queryLatencies(busy);
  const idle: pg.Client[] = [];
  for (let i = 0; i < SESSIONS; i++) idle.push(await connect(p.port));
  await new Promise((r) => setTimeout(r, 3000));
  const rssAfter = rssBytes(pid);
  const crowded = await queryLatencies(busy);
  console.log(`${SESSIONS} idle sessions: playground RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB, ${((rssAfter - rssBefore) / SESSIONS / 1024).toFixed(0)} KiB per session`);
  console.log(`query on a busy session p50/p99: alone ${pct(alone, 50).toFixed(2)} / ${pct(alone, 99).toFixed(2)} ms, beside ${SESSIONS} idle sessions ${pct(crowded, 50).toFixed(2)} / ${pct(crowded, 99).toFixed(2)} ms (p50 ratio ${(pct(crowded, 50) / pct(alone, 50)).toFixed(2)})`);
  await Promise.all(idle.map((c) => c.end()));
  await busy.end();
  await p.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
