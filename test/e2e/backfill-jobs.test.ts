// Backfill of a big table interleaved with live writes: SHOW JOBS (from another session) reports
// the CREATE MATERIALIZED VIEW with a percentage while it runs, and the view ends up exactly equal
// to the same query over the table (no row lost or doubled).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, startPlayground, connect, rows, dumpLogs, type Cluster, type Playground } from '../harness/cluster.ts';

const ROWS = Number(process.env.BACKFILL_ROWS ?? 200_000);
const BATCH = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('backfill progress (SHOW JOBS)', { timeout: 600_000 }, () => {
  let pg: Playground | undefined;
  before(async () => { pg = await startPlayground(); });
  after(async () => { await pg?.stop(); });

  it(`a view over ${ROWS} rows backfills while the table is written; SHOW JOBS shows its progress`, async (t) => {
    const ddl = await connect(pg!.port);
    const watcher = await connect(pg!.port);
    const writer = await connect(pg!.port);
    try {
      await ddl.query('create table bf (id int primary key, g int, v int)');
      for (let start = 0; start < ROWS; start += BATCH) {
        const values: string[] = [];
        for (let i = start; i < Math.min(ROWS, start + BATCH); i++) values.push(`(${i},${i % 97},${i % 1000})`);
        await writer.query(`insert into bf values ${values.join(',')}`);
      }
      await writer.query('flush');
      // Writes keep coming during the backfill: updates and deletes across the key range, inserts past it.
      let writing = true;
      let round = 0;
      const writes = (async () => {
        while (writing) {
          const r = round++;
          const ids = Array.from({ length: 20 }, (_, j) => ((r * 7919 + j * 104_729) % ROWS));
          await writer.query(`update bf set v = v + 1 where id in (${ids.slice(0, 10).join(',')})`);
          await writer.query(`delete from bf where id in (${ids.slice(10, 13).join(',')})`);
          await writer.query(`insert into bf values (${ROWS + r}, ${r % 97}, ${r})`);
          await sleep(20);
        }
      })();
      // A rate limit (2 actors x 20,000 rows/s) keeps the backfill running long enough to watch.
      await ddl.query('set backfill_rate_limit = 20000');
      const seen: string[] = [];
      const create = ddl.query('create materialized view bf_mv as select g, count(*) as c, sum(v) as s from bf group by g');
      let created = false;
      void create.then(() => { created = true; }, () => { created = true; });
      while (!created) {
        const jobs = await rows(watcher, 'show jobs');
        for (const j of jobs) if (String(j[1]).includes('bf_mv')) seen.push(String(j[2]));
        await sleep(100);
      }
      await create;
      writing = false;
      await writes;
      await writer.query('flush');
      t.diagnostic(`SHOW JOBS progress seen: ${[...new Set(seen)].join(' ')}`);
      assert.ok(seen.length > 0, 'SHOW JOBS listed the job while it ran');
      assert.ok(seen.every((p) => /^\d{1,3}\.\d{2}%$/.test(p)), `percentages: ${seen.join(' ')}`);
      assert.ok(seen.some((p) => p !== '0.00%' && p !== '100.00%'), `a percentage between 0 and 100: ${seen.join(' ')}`);
      assert.deepEqual(await rows(watcher, 'show jobs'), []);
      const got = await rows(watcher, 'select g, c, s from bf_mv order by g');
      const want = await rows(watcher, 'select g, count(*), sum(v) from bf group by g order by g');
      assert.equal(got.length, 97);
      assert.deepEqual(got, want);
    } catch (e) {
      dumpLogs(pg!.procs);
      throw e;
    } finally {
      await Promise.all([ddl.end(), watcher.end(), writer.end()]);
    }
  });
});

describe('backfill across a recovery (cluster, a compute node killed mid-backfill)', { timeout: 600_000 }, () => {
  let cl: Cluster | undefined;
  before(async () => { cl = await startCluster({ computeCount: 2 }); });
  after(async () => { await cl?.stop(); });

  it('the CREATE survives the recovery, the backfill resumes, and the view is exact', async (t) => {
    const rowsCount = Math.min(ROWS, 100_000);
    const ddl = await connect(cl!.pgPort);
    const watcher = await connect(cl!.pgPort);
    try {
      await ddl.query('create table bfr (id int primary key, g int, v int)');
      for (let start = 0; start < rowsCount; start += BATCH) {
        const values: string[] = [];
        for (let i = start; i < Math.min(rowsCount, start + BATCH); i++) values.push(`(${i},${i % 13},${i % 1000})`);
        await ddl.query(`insert into bfr values ${values.join(',')}`);
      }
      await ddl.query('flush');
      // 4 actors x 2,500 rows/s: the backfill runs for seconds, so the kill lands in the middle of it.
      await ddl.query('set backfill_rate_limit = 2500');
      const create = ddl.query('create materialized view bfr_mv as select g, count(*) as c, sum(v) as s from bfr group by g');
      let settled = false;
      void create.then(() => { settled = true; }, () => { settled = true; });
      let before = '';
      while (!settled) {
        const jobs = await rows(watcher, 'show jobs');
        const p = jobs.find((j) => String(j[1]).includes('bfr_mv'))?.[2];
        if (p && p !== '0.00%') {
          before = String(p);
          break;
        }
        await sleep(50);
      }
      assert.ok(before !== '', 'the backfill was caught running');
      await cl!.computes[1].kill9();
      const after: string[] = [];
      while (!settled) {
        for (const j of await rows(watcher, 'show jobs').catch(() => [])) if (String(j[1]).includes('bfr_mv')) after.push(String(j[2]));
        await sleep(100);
      }
      await create;
      t.diagnostic(`killed compute1 at ${before}; then ${[...new Set(after)].join(' ')}`);
      // Resumed, not restarted: the progress never goes back below what was committed before.
      for (const p of after) assert.ok(parseFloat(p) >= parseFloat(before), `progress fell back to ${p} from ${before}`);
      await watcher.query('flush');
      const got = await rows(watcher, 'select g, c, s from bfr_mv order by g');
      const want = await rows(watcher, 'select g, count(*), sum(v) from bfr group by g order by g');
      assert.equal(got.length, 13);
      assert.deepEqual(got, want);
      const recoveries = await rows(watcher, 'show recoveries');
      assert.ok(recoveries.length >= 1, 'a recovery happened');
    } catch (e) {
      dumpLogs(cl!.procs);
      throw e;
    } finally {
      await Promise.all([ddl.end(), watcher.end()]);
    }
  });
});
