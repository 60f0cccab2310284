// Shared by the rebalance end-to-end suites: a writer that remembers acknowledged writes, the
// views under test, and exactness checks of every view against a batch recomputation.
import assert from 'node:assert/strict';
import type pg from 'pg';
import { connect, dumpLogs, rows, type Proc } from '../harness/cluster.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const env = { TRIBUTARY_REBALANCE_DELAY_MS: '300', TRIBUTARY_LOG_LEVEL: 'info' };

/** Tables t and dim, and views over a hash exchange (aggregation), joins and an MV on an MV. */
export async function createViews(c: pg.Client): Promise<void> {
  await c.query('CREATE TABLE t (id INT PRIMARY KEY, g INT, v INT)');
  await c.query('CREATE TABLE dim (g INT PRIMARY KEY, name VARCHAR)');
  await c.query(`INSERT INTO dim VALUES ${Array.from({ length: 15 }, (_, g) => `(${g}, 'g${g % 6}')`).join(', ')}`);
  await c.query('CREATE MATERIALIZED VIEW by_g AS SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g');
  await c.query('CREATE MATERIALIZED VIEW joined AS SELECT t.id, t.v, dim.name FROM t JOIN dim ON t.g = dim.g');
  await c.query('CREATE MATERIALIZED VIEW join_agg AS SELECT dim.name, count(*) AS n, sum(t.v) AS s FROM t JOIN dim ON t.g = dim.g GROUP BY dim.name');
  await c.query('CREATE MATERIALIZED VIEW by_g_mod AS SELECT s % 7 AS k, count(*) AS n FROM by_g GROUP BY s % 7');
}

/** Writers not stopped yet (stopped when a test fails, see `withDump`). */
const running = new Set<Writer>();

/**
 * Inserts (and deletes some of) rows of `t` one statement at a time; remembers what was
 * acknowledged. A statement that failed with 40001 was not applied; any other failure (the
 * connection died, 40003) leaves its outcome unknown, and the checks allow either.
 */
export class Writer {
  readonly ackedInserts = new Set<number>();
  readonly ackedDeletes = new Set<number>();
  readonly unknownInserts = new Set<number>();
  readonly unknownDeletes = new Set<number>();
  errors: string[] = [];
  private running = true;
  private done: Promise<void>;
  private nextId: number;

  constructor(port: number, firstId: number) {
    this.nextId = firstId;
    this.done = this.loop(port);
    running.add(this);
  }

  private async loop(port: number): Promise<void> {
    let c: pg.Client | null = null;
    while (this.running) {
      const id = this.nextId++;
      let pending: { id: number; set: Set<number> } | null = null;
      try {
        if (!c) c = await connect(port);
        pending = { id, set: this.unknownInserts };
        await c.query(`INSERT INTO t VALUES (${id}, ${id % 20}, ${id % 100})`);
        this.ackedInserts.add(id);
        if (id % 7 === 0) {
          pending = { id: id - 3, set: this.unknownDeletes };
          await c.query(`DELETE FROM t WHERE id = ${id - 3}`);
          this.ackedDeletes.add(id - 3);
        }
      } catch (e) {
        const err = e as Error & { code?: string };
        this.errors.push(`${err.code ?? ''} ${err.message}`);
        if (pending && err.code !== '40001') pending.set.add(pending.id);
        await c?.end().catch(() => {});
        c = null;
        await sleep(100);
      }
    }
    await c?.end().catch(() => {});
  }

  async stop(): Promise<void> {
    this.running = false;
    running.delete(this);
    await this.done;
  }
}

export async function count(c: pg.Client, sql: string): Promise<number> {
  return (await rows(c, sql)).length;
}

export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * Every view equals the same query run as a batch SELECT over the tables, and `t` holds exactly
 * what `writers` (every writer of `t` so far) were acknowledged, give or take unknown outcomes.
 */
export async function assertViewsExact(c: pg.Client, ...writers: Writer[]): Promise<void> {
  await c.query('FLUSH');
  assert.deepEqual(await rows(c, 'SELECT g, n, s FROM by_g ORDER BY g'), await rows(c, 'SELECT g, count(*), sum(v) FROM t GROUP BY g ORDER BY g'), 'by_g');
  assert.deepEqual(
    await rows(c, 'SELECT id, v, name FROM joined ORDER BY id'),
    await rows(c, 'SELECT t.id, t.v, dim.name FROM t JOIN dim ON t.g = dim.g ORDER BY t.id'),
    'joined',
  );
  assert.deepEqual(
    await rows(c, 'SELECT name, n, s FROM join_agg ORDER BY name'),
    await rows(c, 'SELECT dim.name, count(*), sum(t.v) FROM t JOIN dim ON t.g = dim.g GROUP BY dim.name ORDER BY dim.name'),
    'join_agg',
  );
  assert.deepEqual(
    await rows(c, 'SELECT k, n FROM by_g_mod ORDER BY k'),
    await rows(c, 'SELECT s % 7, count(*) FROM by_g GROUP BY s % 7 ORDER BY 1'),
    'by_g_mod (MV on MV)',
  );
  const present = new Set((await rows(c, 'SELECT id FROM t')).map((r) => Number(r[0])));
  const why = `writer errors: ${JSON.stringify(writers.flatMap((w) => w.errors).slice(0, 20))}`;
  for (const w of writers) {
    const lost = [...w.ackedInserts].filter((id) => !w.ackedDeletes.has(id) && !w.unknownDeletes.has(id) && !present.has(id));
    assert.deepEqual(lost, [], `acknowledged inserts are present (${why})`);
    const resurrected = [...w.ackedDeletes].filter((id) => present.has(id));
    assert.deepEqual(resurrected, [], `acknowledged deletes stay deleted (${why})`);
  }
  const phantom = [...present].filter((id) => !writers.some((w) => w.ackedInserts.has(id) || w.unknownInserts.has(id)));
  assert.deepEqual(phantom, [], `only rows whose insert was acknowledged or had an unknown outcome are present (${why})`);
}

export async function withDump(procs: () => Proc[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    dumpLogs(procs(), 6000);
    // A failed test must still end: a writer left running retries forever against stopped nodes.
    await Promise.all([...running].map((w) => w.stop()));
    throw e;
  }
}

