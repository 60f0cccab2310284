// Durability: kill -9 / SIGTERM a playground and restart it on the same --data-dir.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayground, connect, rows, dumpLogs, tmpDir, type Playground, type Proc } from '../harness/cluster.ts';

type Rows = (string | null)[][];

/** Model of the table: expected MV contents computed in JS. */
function expected(data: [number, number][]) {
  const groups = new Map<number, { c: number; s: number; mn: number; mx: number }>();
  for (const [g, v] of data) {
    const e = groups.get(g) ?? { c: 0, s: 0, mn: Infinity, mx: -Infinity };
    e.c++; e.s += v; e.mn = Math.min(e.mn, v); e.mx = Math.max(e.mx, v);
    groups.set(g, e);
  }
  const byGroup: Rows = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([g, e]) => [String(g), String(e.c), String(e.s), String(e.mn), String(e.mx)]);
  const global: Rows = [[String(data.length), String(data.reduce((a, [, v]) => a + v, 0))]];
  return { byGroup, global };
}

async function check(port: number, data: [number, number][]) {
  const c = await connect(port);
  try {
    const exp = expected(data);
    assert.deepEqual(await rows(c, 'select g, c, s, mn, mx from rs_by_group order by g'), exp.byGroup);
    assert.deepEqual(await rows(c, 'select c, s from rs_global'), exp.global);
    assert.deepEqual(await rows(c, 'select count(*), sum(v) from rs_t'), exp.global);
  } finally {
    await c.end();
  }
}

async function insert(port: number, data: [number, number][], from: number, n: number) {
  const c = await connect(port);
  try {
    const batch: string[] = [];
    for (let i = from; i < from + n; i++) {
      const row: [number, number] = [i % 7, (i * 37) % 101];
      data.push(row);
      batch.push(`(${i}, ${row[0]}, ${row[1]})`);
    }
    await c.query(`insert into rs_t values ${batch.join(', ')}`);
    await c.query('flush');
  } finally {
    await c.end();
  }
}

for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
  describe(`restart after ${signal}`, { timeout: 90_000 }, () => {
    const dataDir = tmpDir('tributary-restart-');
    const all: Proc[] = [];
    let pg: Playground | undefined;
    after(async () => { await pg?.kill9(); });

    it('keeps committed data exactly once', async () => {
      try {
        pg = await startPlayground({ dataDir });
        all.push(pg.proc);
        const data: [number, number][] = [];
        const c = await connect(pg.port);
        await c.query('create table rs_t (id int primary key, g int, v int)');
        await c.query('create materialized view rs_by_group as select g, count(*) as c, sum(v) as s, min(v) as mn, max(v) as mx from rs_t group by g');
        await c.query('create materialized view rs_global as select count(*) as c, sum(v) as s from rs_t');
        await c.end();
        await insert(pg.port, data, 0, 200);
        await check(pg.port, data);

        const exit = signal === 'SIGKILL' ? (await pg.kill9(), await pg.proc.exited) : await pg.stop('SIGTERM');
        if (signal === 'SIGTERM') assert.deepEqual(exit, { code: 0, signal: null }, 'SIGTERM must shut down gracefully with exit code 0');

        pg = await startPlayground({ dataDir });
        all.push(pg.proc);
        await check(pg.port, data);

        // the catalog survived too
        const c2 = await connect(pg.port);
        assert.deepEqual(await rows(c2, 'show tables'), [['rs_t']]);
        assert.deepEqual(await rows(c2, 'show materialized views'), [['rs_by_group'], ['rs_global']]);
        // updates and deletes after recovery retract correctly
        await c2.query('delete from rs_t where id < 20');
        data.splice(0, 20);
        await c2.query('update rs_t set v = v + 1000 where id = 150');
        data.find((_, k) => k === 130)![1] += 1000; // id 150 is at index 130 after removing ids 0..19
        await c2.query('flush');
        await c2.end();
        await insert(pg.port, data, 200, 100);
        await check(pg.port, data);

        // a second crash after the post-recovery writes
        await pg.kill9();
        pg = await startPlayground({ dataDir });
        all.push(pg.proc);
        await check(pg.port, data);
      } catch (e) {
        dumpLogs(all);
        throw e;
      }
    });
  });
}
