// Watermarks, EMIT ON WINDOW CLOSE and sources across a kill -9 of the playground.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlayground, connect, rows, dumpLogs, tmpDir, type Playground, type Proc } from '../harness/cluster.ts';

/** Flushes until `sql` returns `want` (watermarks reach a view a barrier or two after the rows). */
async function eventually(port: number, sql: string, want: (string | null)[][]): Promise<void> {
  const c = await connect(port);
  try {
    let got: (string | null)[][] = [];
    for (let i = 0; i < 20; i++) {
      await c.query('flush');
      got = await rows(c, sql);
      if (JSON.stringify(got) === JSON.stringify(want)) return;
      await sleep(500);
    }
    assert.deepEqual(got, want, sql);
  } finally {
    await c.end();
  }
}

describe('watermarks survive kill -9', { timeout: 120_000 }, () => {
  const dataDir = tmpDir('tributary-wm-restart-');
  const all: Proc[] = [];
  let pg: Playground | undefined;
  after(async () => { await pg?.kill9(); });

  it('resumes the watermark, emits each window once, keeps source positions', async () => {
    try {
      pg = await startPlayground({ dataDir });
      all.push(pg.proc);
      let c = await connect(pg.port);
      await c.query("create table wr (ts timestamp, v int, watermark for ts as ts - interval '5 seconds')");
      await c.query("create materialized view wr_eowc as select window_start, count(*) as n, sum(v) as s from tumble(wr, ts, interval '10 seconds') group by window_start emit on window close");
      await c.query("create source wr_src (id bigint, ts timestamp, watermark for ts as ts) with (connector = 'datagen', fields.id.kind = 'sequence', fields.id.start = '1', fields.id.end = '300', fields.ts.max_past = '0s', datagen.rows.per.second = '100')");
      await c.query('create materialized view wr_ids as select count(*) as n, count(distinct id) as d, max(id) as m from wr_src');
      await c.query("insert into wr values ('2024-01-01 10:00:01', 1), ('2024-01-01 10:00:02', 2), ('2024-01-01 10:00:16', 4)");
      await c.end();
      await eventually(pg.port, 'select window_start::varchar, n, s from wr_eowc order by 1', [['2024-01-01 10:00:00', '2', '3']]);

      await pg.kill9();
      pg = await startPlayground({ dataDir });
      all.push(pg.proc);
      c = await connect(pg.port);
      assert.deepEqual(await rows(c, 'show sources'), [['wr_src']]);
      // The watermark (10:00:11) was recovered: a row at 10:00:05 is late and dropped.
      await c.query("insert into wr values ('2024-01-01 10:00:05', 100), ('2024-01-01 10:00:18', 8), ('2024-01-01 10:00:27', 16)");
      await c.query('flush');
      assert.deepEqual(await rows(c, 'select count(*), sum(v) from wr'), [['5', '31']]);
      await c.end();
      // 10:00:27 closes the 10:00:10 window (watermark 10:00:22): emitted once, the first not again.
      await eventually(pg.port, 'select window_start::varchar, n, s from wr_eowc order by 1', [['2024-01-01 10:00:00', '2', '3'], ['2024-01-01 10:00:10', '2', '12']]);
      // The source resumed from its committed splits: 300 distinct ids, none twice.
      await eventually(pg.port, 'select n, d, m from wr_ids', [['300', '300', '300']]);
    } catch (e) {
      dumpLogs(all);
      throw e;
    }
  });
});
