// Oracle test: EXTRACT, date_part, date_trunc and to_char evaluated by Tributary and by a real
// PostgreSQL 15 over the same table (many fields x timestamps incl. BC, leap years, ISO week 53,
// DST changes, infinities, NULL; times; intervals with negative parts), in several session time
// zones; every result compared as text, errors as SQLSTATE + message. Then a streaming view using
// date_trunc / extract / to_char checked against PostgreSQL's answer to the same query. Skipped
// when no PostgreSQL server is installed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { connect, dumpLogs, startPlayground, textTypes, type Playground } from '../harness/cluster.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../harness/postgres.ts';
import { FIELDS, FORMATS, INTERVAL_FORMATS, NUMBER_FORMATS, NUMBERS, STANDALONE, TRUNC_UNITS, TRUNC_ZONES, VALUES, ZONES } from './datetime-cases.ts';

const quote = (s: string | null): string => (s === null ? 'NULL' : `'${s.replaceAll("'", "''")}'`);

/** Column names and type OIDs, then the rows, as JSON text; or `ERROR <sqlstate> <message>`. */
async function answer(c: pg.Client, sql: string): Promise<string> {
  try {
    const r = await c.query({ text: sql, rowMode: 'array' });
    // Tributary's only string type is varchar (1043); PostgreSQL's text functions return text (25).
    return JSON.stringify([r.fields.map((f) => `${f.name}:${f.dataTypeID === 25 ? 1043 : f.dataTypeID}`), ...r.rows]);
  } catch (e) {
    const err = e as { code?: string; message: string };
    return `ERROR ${err.code} ${err.message}`;
  }
}

const COLUMNS = ['ts', 'd', 't', 'iv'];
/** Names the parser takes as EXTRACT's field identifier. */
const extractable = (f: string): boolean => /^[a-z_]+$/i.test(f) && f !== 'now';

function fieldQueries(column: string): string[] {
  const out: string[] = [];
  for (const f of FIELDS) {
    out.push(`select id, date_part(${quote(f)}, ${column}) from dtv order by id`);
    if (extractable(f)) out.push(`select id, extract(${f} from ${column}) from dtv order by id`);
  }
  return out;
}

function zoneQueries(): string[] {
  const out = ['select id, tz, tz::date, tz::timestamp from dtv order by id', ...fieldQueries('tz')];
  for (const u of TRUNC_UNITS) {
    out.push(`select id, date_trunc(${quote(u)}, tz) from dtv order by id`);
    out.push(`select id, date_trunc(${quote(u)}, d) from dtv order by id`);
  }
  out.push("select id, age(tz, timestamptz '2000-02-29 12:00+00'), age(timestamptz '2024-03-31 00:00+00', tz) from dtv order by id");
  out.push(...STANDALONE.map((e) => `select ${e}`));
  for (const z of TRUNC_ZONES) out.push(`select id, date_trunc('day', tz, ${quote(z)}), date_trunc('hour', tz, ${quote(z)}) from dtv order by id`);
  for (const fmt of FORMATS) {
    out.push(`select id, to_char(tz, ${quote(fmt)}) from dtv order by id`);
    out.push(`select id, to_char(d, ${quote(fmt)}) from dtv order by id`);
  }
  return out;
}

function fixedQueries(): string[] {
  const out = COLUMNS.flatMap(fieldQueries);
  for (const u of TRUNC_UNITS) {
    out.push(`select id, date_trunc(${quote(u)}, ts) from dtv order by id`);
    out.push(`select id, date_trunc(${quote(u)}, iv) from dtv order by id`);
  }
  for (const fmt of FORMATS) out.push(`select id, to_char(ts, ${quote(fmt)}) from dtv order by id`);
  out.push("select id, age(ts, timestamp '2000-02-29 12:00'), age(timestamp '2024-03-31', ts) from dtv order by id");
  out.push('select id, make_timestamp(extract(year from ts)::int, extract(month from ts)::int, extract(day from ts)::int, 1, 2, 3.5) from dtv where id < 12 order by id');
  for (const fmt of INTERVAL_FORMATS) out.push(`select id, to_char(iv, ${quote(fmt)}) from dtv order by id`);
  out.push("select extract(hour from timestamp '2024-01-01 10:00') as a, date_part('hour', time '10:00') as b, extract(day from date '2024-01-01'), date_part('day', date '2024-01-01')");
  out.push("select date_part('hour', date '2024-01-01'), extract(hour from date '2024-01-01')");
  out.push("select extract(epoch from timestamptz '2024-01-01 00:00:00.5+00'), date_part('epoch', interval '1 year')");
  out.push("select date_trunc('month', date '2024-02-15'), to_char(date '2024-02-15', 'FMDay, DD Mon YYYY')");
  return out;
}

describe('datetime functions: Tributary vs PostgreSQL 15', { skip: !postgresAvailable() && 'no PostgreSQL server installed', timeout: 600_000 }, () => {
  let pgServer: Postgres | undefined;
  let play: Playground | undefined;
  let trib: pg.Client;
  let ref: pg.Client;

  before(async () => {
    [pgServer, play] = await Promise.all([startPostgres(), startPlayground()]);
    trib = await connect(play.port);
    ref = new pg.Client({ connectionString: pgServer.url, types: textTypes });
    await ref.connect();
    const rows = VALUES.map(([id, ts, d, t, iv]) => `(${id}, ${quote(ts)}, ${quote(ts)}, ${quote(d)}, ${quote(t)}, ${quote(iv)})`);
    const toBigint = (n: string | null): string => (n === null || n === 'NaN' ? 'NULL' : `round(${quote(n)}::numeric)::bigint`);
    const nums = NUMBERS.map(([id, n]) => `(${id}, ${quote(n)}, ${quote(n)}, ${quote(n)}, ${toBigint(n)})`);
    for (const c of [trib, ref]) {
      await c.query("set timezone = 'UTC'");
      await c.query('create table dtv (id int primary key, ts timestamp, tz timestamptz, d date, t time, iv interval)');
      await c.query(`insert into dtv values ${rows.join(', ')}`);
      await c.query('create table nums (id int primary key, n numeric, f double precision, r real, b bigint)');
      await c.query(`insert into nums values ${nums.join(', ')}`);
    }
  });

  after(async () => {
    await trib?.end().catch(() => undefined);
    await ref?.end().catch(() => undefined);
    await Promise.all([play?.stop(), pgServer?.stop()]);
  });

  /** Runs every query on both; fails listing the first mismatches. Returns how many rows matched. */
  const compare = async (queries: string[], context: string): Promise<number> => {
    const failures: string[] = [];
    let rowsCompared = 0;
    for (const q of queries) {
      const [want, got] = [await answer(ref, q), await answer(trib, q)];
      if (want !== got) failures.push(`${context}: ${q}\n  postgres:  ${want.slice(0, 1500)}\n  tributary: ${got.slice(0, 1500)}`);
      else if (!want.startsWith('ERROR')) rowsCompared += (JSON.parse(want) as unknown[]).length - 1;
    }
    assert.equal(failures.length, 0, `${failures.length} of ${queries.length} queries differ:\n${failures.slice(0, 15).join('\n')}`);
    return rowsCompared;
  };

  it('zone-independent expressions (timestamp, date, time, interval)', async () => {
    const n = await compare(fixedQueries(), 'TimeZone UTC');
    assert.ok(n > 3000, `only ${n} rows compared`);
  });

  for (const zone of ZONES) {
    it(`timestamptz and date expressions in TimeZone ${zone}`, async () => {
      await trib.query(`set timezone = ${quote(zone)}`);
      await ref.query(`set timezone = ${quote(zone)}`);
      const n = await compare(zoneQueries(), `TimeZone ${zone}`);
      assert.ok(n > 1000, `only ${n} rows compared`);
    });
  }

  it('to_char of numbers (numeric, double precision, real, integer, bigint)', async () => {
    const queries = NUMBER_FORMATS.map((f) => `select id, to_char(n, ${quote(f)}), to_char(f, ${quote(f)}), to_char(r, ${quote(f)}),
      to_char(b, ${quote(f)}), to_char((b % 1000000)::int, ${quote(f)}) from nums order by id`);
    const n = await compare(queries, 'numbers');
    assert.ok(n > 500, `only ${n} rows compared`);
  });

  it('a materialized view grouping by date_trunc / extract matches the PostgreSQL query', async () => {
    // Streaming views evaluate timestamptz in UTC (compute nodes have no session zone): the
    // reference runs in UTC too.
    try {
      for (const c of [trib, ref]) {
        await c.query("set timezone = 'UTC'");
        await c.query('create table ev (id int primary key, ts timestamp, tz timestamptz, v int)');
      }
      const query = `select date_trunc('hour', ts) as h, extract(dow from ts) as dow, date_part('year', tz) as y,
        to_char(date_trunc('day', tz), 'YYYY-MM-DD Dy') as day, count(*) as c, sum(v) as s from ev group by 1, 2, 3, 4`;
      await trib.query(`create materialized view ev_mv as ${query}`);
      const insert = (from: number, to: number): string => {
        const rows: string[] = [];
        for (let i = from; i < to; i++) {
          const ts = new Date(Date.UTC(2024, 1, 28) + i * 7_919_000).toISOString().replace('T', ' ').replace('Z', '');
          rows.push(`(${i}, '${ts}', '${ts}+00', ${i % 17})`);
        }
        return `insert into ev values ${rows.join(', ')}`;
      };
      const check = async (): Promise<void> => {
        await trib.query('flush');
        const want = await answer(ref, `${query} order by 1, 2, 3, 4`);
        const got = await answer(trib, 'select * from ev_mv order by 1, 2, 3, 4');
        assert.equal(got, want);
        assert.ok((JSON.parse(want) as unknown[]).length > 21);
      };
      for (const c of [trib, ref]) await c.query(insert(0, 300));
      await check();
      for (const c of [trib, ref]) {
        await c.query(insert(300, 500));
        await c.query('delete from ev where id % 3 = 0');
        await c.query('update ev set v = v + 1, ts = ts + interval \'1 hour\' where id % 5 = 0');
      }
      await check();
    } catch (e) {
      if (play) dumpLogs(play.procs, 4000);
      throw e;
    }
  });
});
