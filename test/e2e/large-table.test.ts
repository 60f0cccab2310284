// A view over a table of 5,000,000 rows (LARGE_TABLE_ROWS to change it): loaded with psql's \copy
// while SELECTs keep answering and compaction runs, updated, then the playground is killed with
// SIGKILL and restarted: the table and the view are exact throughout. Last, a second view is
// created over the millions of rows (a backfill) while writes keep coming, and must be exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, connect, freePort, psql, rows, startPlayground, tmpDir, withLogs, type Playground } from '../harness/cluster.ts';

const ROWS = Number(process.env.LARGE_TABLE_ROWS ?? 5_000_000);
const GROUPS = 100;
const run = promisify(execFile);

/** Writes `id,g,v` lines for ids [0, ROWS) to a CSV file. */
async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  const CHUNK = 10_000;
  for (let start = 0; start < ROWS; start += CHUNK) {
    let s = '';
    for (let id = start; id < Math.min(ROWS, start + CHUNK); id++) s += `${id},${id % GROUPS},${id % 1000}\n`;
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Expected view rows: per g, count and sum of v, for ids [0, ROWS) with v = id % 1000 (+ bumps). */
function expected(bumped: Set<number>): string[][] {
  const n = new Array(GROUPS).fill(0);
  const s = new Array(GROUPS).fill(0);
  for (let id = 0; id < ROWS; id++) {
    n[id % GROUPS]++;
    s[id % GROUPS] += (id % 1000) + (bumped.has(id) ? 1 : 0);
  }
  return n.map((c, g) => [String(g), String(c), String(s[g])]);
}

test(`a view over ${ROWS} rows: load, query during compaction, update, kill -9 and restart`, { timeout: 1_500_000 }, async (t) => {
  const dataDir = tmpDir('tributary-large-');
  const csv = join(tmpDir('tributary-large-csv-'), 'rows.csv');
  await writeCsv(csv);
  const metaPort = await freePort();
  const start = () => startPlayground({ dataDir, extraArgs: ['--meta-listen', `127.0.0.1:${metaPort}`], env: { TRIBUTARY_LOG_LEVEL: 'info' } });
  let p: Playground = await start();
  // A failed assertion must not leave the playground running (the file would never end).
  t.after(() => p.kill9());
  await withLogs(() => p.procs, async () => {
    let db = await connect(p.port);
    await db.query('CREATE TABLE big (id BIGINT PRIMARY KEY, g INT, v INT)');
    await db.query('CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(v) AS s FROM big GROUP BY g');

    // Load with \copy while another session keeps querying the view.
    let loading = true;
    let queries = 0;
    let lastTotal = 0;
    const reader = (async () => {
      const q = await connect(p.port);
      while (loading) {
        const [[total]] = await rows(q, 'SELECT coalesce(sum(n), 0) FROM by_g');
        assert.ok(Number(total) >= lastTotal, 'the view only grows during the load');
        lastTotal = Number(total);
        queries++;
        await new Promise((r) => setTimeout(r, 500));
      }
      await q.end();
    })();
    const t0 = Date.now();
    const load = await psql(p.port, `\\copy big FROM '${csv}' WITH (FORMAT csv)`, { timeoutMs: 1_200_000 });
    loading = false;
    await reader;
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stdout, new RegExp(`COPY ${ROWS}`));
    const loadS = (Date.now() - t0) / 1000;
    console.log(`loaded ${ROWS} rows in ${loadS.toFixed(1)} s (${(ROWS / loadS).toFixed(0)} rows/s); ${queries} SELECTs answered meanwhile`);
    assert.ok(queries > 0);

    await db.query('FLUSH');
    const bumped = new Set<number>();
    assert.deepEqual(await rows(db, 'SELECT g, n, s FROM by_g ORDER BY g'), expected(bumped), 'the view after the load');
    // Updates: some rows anywhere in the key space.
    await db.query('UPDATE big SET v = v + 1 WHERE id % 250000 = 7');
    for (let id = 7; id < ROWS; id += 250_000) bumped.add(id);
    await db.query('FLUSH');
    assert.deepEqual(await rows(db, 'SELECT g, n, s FROM by_g ORDER BY g'), expected(bumped), 'the view after updates');
    assert.deepEqual(await rows(db, 'SELECT count(*) FROM big'), [[String(ROWS)]]);
    assert.deepEqual(await rows(db, `SELECT v FROM big WHERE id = ${ROWS - 1}`), [[String((ROWS - 1) % 1000)]]);

    // Compaction ran: the data is below L0.
    const { stdout: version } = await run(process.execPath, [CLI, 'ctl', 'hummock', 'version', '--meta', `127.0.0.1:${metaPort}`], { timeout: 60_000 });
    console.log(version);
    const levelBytes = [...version.matchAll(/^L([1-6]) .* ([\d.]+) MiB$/gm)].reduce((n, m) => n + Number(m[2]), 0);
    assert.ok(levelBytes > 0, `compaction moved data below L0:\n${version}`);
    await db.end();

    // kill -9 and restart on the same data: exact, and still updating.
    await p.kill9();
    p = await start();
    db = await connect(p.port);
    assert.deepEqual(await rows(db, 'SELECT count(*) FROM big'), [[String(ROWS)]], 'table after restart');
    assert.deepEqual(await rows(db, 'SELECT g, n, s FROM by_g ORDER BY g'), expected(bumped), 'view after restart');
    await db.query(`INSERT INTO big VALUES (${ROWS}, 0, 5)`);
    await db.query('FLUSH');
    const [[n0, s0]] = await rows(db, 'SELECT n, s FROM by_g WHERE g = 0');
    const [, en0, es0] = expected(bumped)[0];
    assert.deepEqual([n0, s0], [String(Number(en0) + 1), String(Number(es0) + 5)], 'the view keeps updating after the restart');

    // A view created over the millions of rows (a backfill) while writes keep coming: exact.
    let writing = true;
    let written = 0;
    const writes = (async () => {
      const w = await connect(p.port);
      while (writing) {
        const id = ROWS + 1 + written++;
        await w.query(written % 5 === 0 ? `UPDATE big SET v = v + 2 WHERE id = ${written * 997}` : `INSERT INTO big VALUES (${id}, ${id % GROUPS}, 3)`);
      }
      await w.end();
    })();
    const b0 = Date.now();
    await db.query('CREATE MATERIALIZED VIEW by_g_backfilled AS SELECT g, count(*) AS n, sum(v) AS s, max(id) AS top FROM big GROUP BY g');
    const backfillS = (Date.now() - b0) / 1000;
    writing = false;
    await writes;
    await db.query('FLUSH');
    console.log(`backfilled a view over ${ROWS} rows in ${backfillS.toFixed(1)} s under ${written} concurrent writes`);
    // Each write waits for its checkpoint (implicit_flush): about one per second.
    assert.ok(written >= 2, `writes went on during the backfill (${written})`);
    assert.deepEqual(
      await rows(db, 'SELECT g, n, s, top FROM by_g_backfilled ORDER BY g'),
      await rows(db, 'SELECT g, count(*), sum(v), max(id) FROM big GROUP BY g ORDER BY g'),
      'the backfilled view equals the query over the table',
    );
    await db.end();
    await p.stop();
  });
});
