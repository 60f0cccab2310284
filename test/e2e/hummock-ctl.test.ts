// `tributary ctl hummock` against a running cluster, and version/epoch pins end to end: a query
// that reads slowly (a cursor) keeps its snapshot while compaction and vacuum (grace 0) run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { CLI, connect, startCluster, withLogs, type Cluster } from '../harness/cluster.ts';

const run = promisify(execFile);
const N = 30_000;

async function ctl(c: Cluster, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, 'ctl', 'hummock', ...args, '--meta', `127.0.0.1:${c.metaPort}`], { timeout: 120_000 });
  return stdout;
}

test('ctl hummock shows the version, SSTs, pins; a pinned snapshot survives compaction and vacuum', { timeout: 240_000 }, async () => {
  const c = await startCluster({
    computeCount: 1,
    env: { TRIBUTARY_VACUUM_GRACE_MS: '0', TRIBUTARY_VACUUM_INTERVAL_MS: '300', TRIBUTARY_COMPACTION_L0_TRIGGER: '2', TRIBUTARY_SAFE_EPOCH_GRACE_MS: '0' },
  });
  await withLogs(() => c.procs, async () => {
    const db = await connect(c.pgPort);
    const sql = postgres({ host: '127.0.0.1', port: c.pgPort, user: 'root', database: 'dev', max: 1, fetch_types: false, onnotice: () => undefined });
    try {
      // Enough rows for many SST blocks (the cursor must fetch blocks after compaction).
      await db.query('CREATE TABLE t (k INT PRIMARY KEY, v INT, pad VARCHAR)');
      const load = async (from: number, v: number) => {
        for (let b = 0; b < N / 5000; b++) {
          const values = Array.from({ length: 5000 }, (_, i) => `(${from + b * 5000 + i}, ${v}, '${randomBytes(32).toString('hex')}')`).join(',');
          await db.query(`INSERT INTO t VALUES ${values}`);
        }
        await db.query('FLUSH');
      };
      await load(0, 1);

      const version = await ctl(c, 'version');
      assert.match(version, /^version \d+ {2}max committed epoch \d+ {2}safe epoch \d+$/m);
      assert.match(version, /^L0 +\d+ sub-levels +\d+ SSTs/m);
      const ssts = await ctl(c, 'sst', 'list');
      assert.match(ssts, /^ *id +level +size +keys/m);
      assert.match(ssts, /\(\d+ SSTs\)/);

      // A slow reader: a cursor over every row at one snapshot, 100 rows per round trip.
      const seen: number[] = [];
      let firstBatch!: () => void;
      const started = new Promise<void>((r) => (firstBatch = r));
      let resume!: () => void;
      const gate = new Promise<void>((r) => (resume = r));
      const reading = (async () => {
        let first = true;
        for await (const rows of sql`select k, v from t`.cursor(100)) {
          for (const r of rows) seen.push(Number(r.v));
          if (first) {
            first = false;
            firstBatch();
            await gate;
          }
        }
      })();
      await started;
      // Meanwhile more rows arrive (interleaved keys: compaction rewrites every old SST; no scan
      // of this frontend reads the old ones, so their blocks are not in its cache), the cluster
      // compacts and vacuums with no grace period.
      await load(N, 2);
      await db.query('DELETE FROM t WHERE k = 0');
      await db.query('FLUSH');
      await ctl(c, 'compact');
      const pins = await ctl(c, 'pins');
      assert.match(pins, /^oldest pinned version \d+ {2}oldest pinned epoch \d+$/m);
      const pinnedEpoch = BigInt(/oldest pinned epoch (\d+)/.exec(pins)![1]);
      const committedEpoch = BigInt(/committed epoch (\d+)/.exec(pins)![1]);
      assert.ok(pinnedEpoch < committedEpoch, `the open cursor pins an older epoch:\n${pins}`);
      assert.ok((pins.match(/^worker /gm) ?? []).length >= 2, `frontend and compute node report pins:\n${pins}`);
      await new Promise((r) => setTimeout(r, 1500)); // several vacuum passes with grace 0
      const vacuum = JSON.parse(await ctl(c, 'vacuum'));
      assert.equal(typeof vacuum.listed, 'number');
      resume();
      await reading;
      assert.equal(seen.length, N, 'the cursor read every row of its snapshot');
      assert.ok(seen.every((v) => v === 1), 'all at the snapshot the cursor started on');

      // Once released, the pin advances to the committed epoch.
      await new Promise((r) => setTimeout(r, 2500));
      const after = await ctl(c, 'pins');
      const e = BigInt(/oldest pinned epoch (\d+)/.exec(after)![1]);
      assert.ok(e > pinnedEpoch, `pin released:\n${after}`);
      const { rows } = await db.query('SELECT count(*)::int AS n, sum(v)::int AS s FROM t');
      assert.deepEqual(rows[0], { n: String(2 * N - 1), s: String(3 * N - 1) });
    } finally {
      await sql.end();
      await db.end();
      await c.stop();
    }
  });
});
