// Differential test: the same tables in Tributary and in a real PostgreSQL, materialized views in
// Tributary and plain views with the same queries in PostgreSQL, random INSERT/UPDATE/DELETE
// rounds (seed DIFF_SEED, default fixed), and after each round (FLUSH) every view compared as a
// multiset of text rows. Every view is created twice, before any data and after the first round
// (a backfill), some over other views; each view's query also runs as a batch SELECT, and batch
// SELECTs of window functions and DISTINCT ON are compared the same way each round.
// Skipped when no PostgreSQL server is installed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { connect, dumpLogs, startPlayground, textTypes, type Playground } from '../harness/cluster.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../harness/postgres.ts';
import { rng } from '../harness/rng.ts';

const SEED = Number(process.env.DIFF_SEED ?? 20261124);
const ROUNDS = Number(process.env.DIFF_ROUNDS ?? 8);
const OPS_PER_ROUND = 24;

const TABLES = [
  'create table da (id int primary key, g int, v int, b boolean, s varchar)',
  'create table db (id int primary key, g int, w int)',
  'create table dc (k int, x int)',
  'create table dt (id int primary key, ts timestamp, amount int)',
];

/**
 * [name, Tributary query, PostgreSQL query]: TUMBLE / HOP have no PostgreSQL twin, so the reference
 * computes the same windows with date_bin (and generate_series for hop's copies).
 */
const WINDOW_VIEWS: [string, string, string][] = [
  ['v_tumble', "select window_start, window_end, count(*) as c, sum(amount) as s from tumble(dt, ts, interval '10 seconds') group by window_start, window_end",
    "select date_bin('10 seconds', ts, timestamp '2000-01-01') as window_start, date_bin('10 seconds', ts, timestamp '2000-01-01') + interval '10 seconds' as window_end, count(*) as c, sum(amount) as s from dt group by 1, 2"],
  ['v_hop', "select window_start, count(*) as c, max(amount) as m from hop(dt, ts, interval '5 seconds', interval '10 seconds') group by window_start",
    "select date_bin('5 seconds', ts, timestamp '2000-01-01') - k * interval '5 seconds' as window_start, count(*) as c, max(amount) as m from dt, generate_series(0, 1) k where ts is not null group by 1"],
];

/** [name, query]: created before any data. */
const EARLY_VIEWS: [string, string][] = [
  ['v_proj', 'select id, v + 1 as v1, s, g * 2 as g2 from da'],
  ['v_filter', 'select id, g, s from da where v > 3 and b'],
  ['v_agg', `select g, count(*) as c, count(v) as cv, sum(v) as sv, min(v) as mn, max(s) as mx, avg(v) as av,
    count(distinct v) as cdv, sum(distinct v) as sdv, bool_and(b) as ba, bool_or(b) as bo,
    string_agg(s, ',' order by id) as sa, string_agg(s, '|' order by s desc, id) filter (where v > 2) as sf,
    count(*) filter (where b) as cf from da group by g`],
  ['v_simple', 'select count(*) as c, sum(v) as s, min(s) as m, count(distinct g) as dg, bool_or(b) as bo from da'],
  ['v_inner', 'select da.id as aid, db.id as bid, da.v, db.w from da join db on da.g = db.g'],
  ['v_left', 'select da.id as aid, db.id as bid, db.w from da left join db on da.g = db.g and db.w > da.v'],
  ['v_right', 'select da.id as aid, db.id as bid, da.s from da right join db on da.g = db.g'],
  ['v_full', 'select da.id as aid, db.id as bid from da full join db on da.v = db.w'],
  ['v_distinct', 'select distinct g, b from da'],
  ['v_union_all', 'select g, v from da union all select g, w from db'],
  ['v_top', 'select id, v from da order by v desc, id limit 3'],
  ['v_group_top', 'select * from (select id, g, v, row_number() over (partition by g order by v, id) as rn from da) s where rn <= 2'],
  ['v_nopk', 'select k, count(*) as c, sum(x) as sx from dc group by k'],
  ['v_exists', 'select id, v from da where exists (select 1 from db where db.g = da.g and db.w > da.v)'],
  ['v_not_exists', 'select id, g from da where not exists (select 1 from db where db.g = da.g)'],
  ['v_in', 'select id, s from da where g in (select k from dc where x > 2)'],
  ['v_not_in', 'select id from da where g not in (select k from dc)'],
  ['v_scalar', 'select id, v from da where v > (select avg(w) from db)'],
  ['v_exprs', `select id, case when v > 5 then 'hi' when v is null then 'none' else 'lo' end as c, coalesce(s, 'none') as cs,
    nullif(g, 0) as ng, cast(v as varchar) as vs, v::varchar || '!' as vb, s like 'a%' as l, s ilike 'B_' as il,
    g in (1, 2) as gi, v between 2 and 6 as bt, v not between 2 and 6 as nbt, g is distinct from v as dist,
    g is not distinct from v as ndist from da`],
  ['v_funcs', `select id, upper(s) as u, lower(upper(s)) as l, length(s) as n, substr(s, 2) as s2, substr(s, 1, 1) as s1,
    concat(s, '-', g) as ct, s || 'x' as cc, round(v::numeric / 7, 2) as r, abs(v - 5) as a, floor(v / 3.0) as f,
    v % 3 as m, -v as neg, v * 1000000 as big, v::numeric / 3 as d, v / 2 as idiv from da`],
  ['v_distinct_on', 'select distinct on (g) g, id, v from da order by g, v desc, id'],
];

/** Created after the first round (backfill), some over other views. */
const LATE_VIEWS: [string, string][] = [
  ['v_union', 'select g from da union select g from db'],
  ['v_top_off', 'select id, s from da order by s, id limit 4 offset 2'],
  ['v_join_agg', 'select da.g, count(*) as c, sum(db.w) as sw, max(da.v) as mv from da join db on da.g = db.g group by da.g'],
  ['v_chain', 'select g, c, sv from v_agg where c > 1'],
  ['v_chain_join', 'select v_agg.g, v_agg.c, v_nopk.sx from v_agg left join v_nopk on v_agg.g = v_nopk.k'],
  ['v_chain_top', 'select g, c from v_agg order by c desc, g limit 2'],
  ['v_union_views', 'select g, c from v_agg union all select k, c from v_nopk union all select g, count(*) from da group by g'],
  ['v_join_group_top', `select * from (select da.id, db.id as bid, da.g, db.w,
    row_number() over (partition by da.g order by db.w desc, da.id, db.id) as rn from da join db on da.g = db.g) s where rn <= 2`],
  ['v_group_top_f', 'select id, rn from (select id, g, v, row_number() over (partition by g order by v desc, id) as rn from da) s where rn <= 3 and rn >= 2 and s.v > 2'],
  ['v_scalar_item', 'select id, (select max(w) from db) as mw, (select count(*) from dc) as n from da'],
  ['v_not_in_late', 'select id, v from da where v not in (select w from db where w > 2) and exists (select 1 from dc where dc.k = da.g)'],
  ['v_in_agg', 'select g, count(*) as c from da where id in (select id from db) group by g'],
  ['v_three_way', 'select da.id, db.id as bid, dc.x from da join db on da.g = db.g join dc on db.g = dc.k where dc.x > 1'],
  ['v_having', 'select g % 3 as gm, count(*) as c, sum(v) as s from da group by g % 3 having count(*) > 1 and sum(v) > 3'],
  ['v_self', 'select a.id as aid, b.id as bid, a.v + b.v as vv from da a join da b on a.g = b.g and a.id < b.id'],
  ['v_values', "select da.id, t.name from da join (values (0, 'zero'), (1, 'one'), (2, 'two')) as t(g, name) on da.g = t.g"],
  ['v_derived', 'select s.g, s.c, db.w from (select g, count(*) as c from da group by g) s join db on s.g = db.g where s.c > 1'],
  ['v_cte', 'with a as (select g, sum(v) as sv from da group by g), b as (select g, max(w) as mw from db group by g) select a.g, a.sv, b.mw from a left join b on a.g = b.g'],
  ['v_case_agg', "select case when v > 4 then 'big' else 'small' end as k, count(*) as c, sum(coalesce(v, 0)) as s from da group by 1"],
  ['v_distinct_on_late', 'select distinct on (g, b) id, g, b, s from da order by g, b, s desc, id'],
  ['v_distinct_on_limit', 'select distinct on (g) g, id from da order by g, id desc limit 3'],
  // No total order: which row is kept is unspecified, so only columns fixed by the group are selected.
  ['v_distinct_on_any', 'select distinct on (g) g, g * 10 as g10 from da'],
];

/** Batch SELECTs run in both systems after every round (window functions, DISTINCT ON), compared as multisets. */
const BATCH_QUERIES: string[] = [
  `select id, g, v, row_number() over (partition by g order by v, id) as rn, rank() over (partition by g order by v) as rk,
    dense_rank() over (order by v) as dr, sum(v) over (partition by g order by v) as rs, avg(v) over (partition by g) as av, count(*) over () as n from da`,
  `select id, lag(v) over (partition by g order by id) as p, lead(v, 2, -1) over (order by id) as nx, first_value(s) over (partition by b order by id) as fv,
    last_value(s) over (partition by b order by id) as lv, min(v) over (partition by s) as mn, max(v) over (order by g, id) as mx, ntile(3) over (order by id) as nt from da`,
  'select g, count(*) as c, sum(w) as sw, rank() over (order by count(*) desc) as r, sum(sum(w)) over () as t from db group by g',
  'select da.id, db.id as bid, percent_rank() over (order by da.v, db.w) as pr, cume_dist() over (partition by da.g order by db.w) as cd from da join db on da.g = db.g',
  'select distinct on (g) g, id, s from da order by g, s desc, id',
];

class Workload {
  private readonly r: () => number;
  private nextId = 1;
  private readonly daIds: number[] = [];
  private readonly dbIds: number[] = [];
  private readonly dtIds: number[] = [];

  constructor(seed: number) {
    this.r = rng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  private maybeNull(v: string, p = 0.12): string {
    return this.r() < p ? 'null' : v;
  }

  private pick(ids: number[]): number | undefined {
    return ids.length === 0 ? undefined : ids[this.int(ids.length)];
  }

  private str(): string {
    return this.maybeNull(`'${'abcdef'[this.int(6)]}${this.int(3)}'`);
  }

  private ts(): string {
    return this.maybeNull(`'2024-01-01 00:00:${String(this.int(60)).padStart(2, '0')}'`, 0.08);
  }

  /** One random statement valid in both systems. */
  statement(): string {
    const x = this.r();
    const g = (): string => this.maybeNull(String(this.int(5)));
    const v = (): string => this.maybeNull(String(this.int(10)));
    if (x < 0.3) {
      const id = this.nextId++;
      this.daIds.push(id);
      return `insert into da values (${id}, ${g()}, ${v()}, ${this.maybeNull(this.r() < 0.5 ? 'true' : 'false')}, ${this.str()})`;
    }
    if (x < 0.45) {
      const id = this.nextId++;
      this.dbIds.push(id);
      return `insert into db values (${id}, ${g()}, ${v()})`;
    }
    if (x < 0.55) {
      if (this.r() < 0.5) return `insert into dc values (${g()}, ${v()})`;
      const id = this.nextId++;
      this.dtIds.push(id);
      return `insert into dt values (${id}, ${this.ts()}, ${v()})`;
    }
    if (x < 0.58) {
      const id = this.pick(this.dtIds);
      if (id !== undefined) return this.r() < 0.5 ? `update dt set ts = ${this.ts()} where id = ${id}` : `delete from dt where id = ${id}`;
    }
    if (x < 0.7) {
      const id = this.pick(this.daIds);
      if (id === undefined) return 'insert into dc values (1, 1)';
      const sets = [`v = ${v()}`, `g = ${g()}`, `s = ${this.str()}`, `b = not b`, 'v = v + 1'];
      return `update da set ${sets[this.int(sets.length)]} where id = ${id}`;
    }
    if (x < 0.76) return `update db set w = ${v()} where g = ${this.int(5)}`;
    if (x < 0.8) return `update dc set x = x + 1 where k = ${this.int(5)}`;
    if (x < 0.9) {
      const id = this.pick(this.daIds);
      if (id === undefined) return 'insert into dc values (2, 2)';
      this.daIds.splice(this.daIds.indexOf(id), 1);
      return `delete from da where id = ${id}`;
    }
    if (x < 0.95) {
      const id = this.pick(this.dbIds);
      if (id === undefined) return 'insert into dc values (3, 3)';
      this.dbIds.splice(this.dbIds.indexOf(id), 1);
      return `delete from db where id = ${id}`;
    }
    return `delete from dc where k = ${this.int(5)}`;
  }
}

async function rowsOf(c: pg.Client, sql: string): Promise<string[]> {
  const res = await c.query({ text: sql, rowMode: 'array' });
  return (res.rows as (string | null)[][]).map((r) => JSON.stringify(r)).sort();
}

/** Multiset difference for the failure message: rows only in a, only in b. */
function diff(a: string[], b: string[]): { missing: string[]; extra: string[] } {
  const count = new Map<string, number>();
  for (const r of a) count.set(r, (count.get(r) ?? 0) + 1);
  const extra: string[] = [];
  for (const r of b) {
    const n = count.get(r) ?? 0;
    if (n > 0) count.set(r, n - 1);
    else extra.push(r);
  }
  const missing = [...count.entries()].flatMap(([r, n]) => new Array<string>(n).fill(r));
  return { missing: missing.slice(0, 10), extra: extra.slice(0, 10) };
}

describe('differential: Tributary MVs vs PostgreSQL views', { skip: !postgresAvailable() && 'no PostgreSQL server installed', timeout: 300_000 }, () => {
  let pgServer: Postgres | undefined;
  let play: Playground | undefined;
  let trib: pg.Client;
  let ref: pg.Client;

  before(async () => {
    [pgServer, play] = await Promise.all([startPostgres(), startPlayground()]);
    trib = await connect(play.port);
    ref = new pg.Client({ connectionString: pgServer.url, types: textTypes });
    await ref.connect();
  });

  after(async () => {
    await trib?.end().catch(() => undefined);
    await ref?.end().catch(() => undefined);
    await Promise.all([play?.stop(), pgServer?.stop()]);
  });

  const createViews = async (views: [string, string][]): Promise<void> => {
    for (const [name, query] of views) {
      await trib.query(`create materialized view ${name} as ${query}`);
      await ref.query(`create view ${name} as ${query}`);
    }
  };

  /** Rows compared in total: the test must compare real data, not empty views. */
  let compared = 0;

  const compareAll = async (views: [string, string][], round: number): Promise<void> => {
    await trib.query('flush');
    for (const [name] of views) {
      const [want, got] = await Promise.all([rowsOf(ref, `select * from ${name}`), rowsOf(trib, `select * from ${name}`)]);
      compared += want.length;
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        const d = diff(want, got);
        assert.fail(`view ${name} differs after round ${round} (DIFF_SEED=${SEED}):\n missing ${d.missing.join(' ')}\n extra ${d.extra.join(' ')}`);
      }
    }
    // Each view's query also runs as a batch SELECT over the same snapshot (Tributary's batch
    // engine against the PostgreSQL view; once per query: twins are skipped, and window views, whose
    // PostgreSQL query differs).
    for (const [name, query] of views) {
      if (!/_(bf|pre)$/.test(name) && !WINDOW_VIEWS.some(([n]) => n === name)) {
        const [want, got] = await Promise.all([rowsOf(ref, `select * from ${name}`), rowsOf(trib, query)]);
        compared += want.length;
        if (JSON.stringify(want) !== JSON.stringify(got)) {
          const d = diff(want, got);
          assert.fail(`batch query of ${name} differs after round ${round} (DIFF_SEED=${SEED}): ${query}\n missing ${d.missing.join(' ')}\n extra ${d.extra.join(' ')}`);
        }
      }
    }
    for (const q of BATCH_QUERIES) {
      const [want, got] = await Promise.all([rowsOf(ref, q), rowsOf(trib, q)]);
      compared += want.length;
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        const d = diff(want, got);
        assert.fail(`query differs after round ${round} (DIFF_SEED=${SEED}): ${q}\n missing ${d.missing.join(' ')}\n extra ${d.extra.join(' ')}`);
      }
    }
  };

  it(`random DML rounds (seed ${SEED})`, async () => {
    try {
      for (const t of TABLES) {
        await trib.query(t);
        await ref.query(t);
      }
      // Every construct both ways: the late views also get a twin created before any data, and
      // the early ones a twin created after the first round (a backfill over existing rows).
      const lateTwinsEarly = LATE_VIEWS.map(([n, q]): [string, string] => [`${n}_pre`, q]);
      await createViews([...EARLY_VIEWS, ...lateTwinsEarly]);
      const createWindowViews = async (suffix: string) => {
        for (const [name, tq, pq] of WINDOW_VIEWS) {
          await trib.query(`create materialized view ${name}${suffix} as ${tq}`);
          await ref.query(`create view ${name}${suffix} as ${pq}`);
        }
      };
      await createWindowViews('');
      const live: [string, string][] = [...EARLY_VIEWS, ...lateTwinsEarly, ...WINDOW_VIEWS.map(([n, q]): [string, string] => [n, q])];
      const w = new Workload(SEED);
      for (let round = 1; round <= ROUNDS; round++) {
        for (let i = 0; i < OPS_PER_ROUND; i++) {
          const sql = w.statement();
          await ref.query(sql);
          await trib.query(sql);
        }
        if (round === 1) {
          await trib.query('flush');
          const earlyTwinsLate = EARLY_VIEWS.map(([n, q]): [string, string] => [`${n}_bf`, q]);
          await createViews([...LATE_VIEWS, ...earlyTwinsLate]);
          await createWindowViews('_bf');
          live.push(...LATE_VIEWS, ...earlyTwinsLate, ...WINDOW_VIEWS.map(([n, q]): [string, string] => [`${n}_bf`, q]));
        }
        await compareAll(live, round);
      }
      assert.ok(compared > 500, `only ${compared} rows compared`);
    } catch (e) {
      if (play) dumpLogs(play.procs, 4000);
      throw e;
    }
  });
});
