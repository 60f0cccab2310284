// psql's meta-commands (\dt, \d NAME, \l, ...) against a playground: the real psql 15 sends its
// catalog queries, which must parse, bind and return what psql expects.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayground, psql, psqlAligned, dumpLogs, type Playground } from '../harness/cluster.ts';

describe('psql meta-commands', { timeout: 90_000 }, () => {
  let pg: Playground | undefined;
  let failed = false;
  const meta = async (cmd: string): Promise<string> => {
    const r = await psqlAligned(pg!.port, cmd);
    assert.equal(r.stderr, '', `${cmd}: ${r.stderr}`);
    assert.equal(r.code, 0);
    return r.stdout;
  };
  before(async () => {
    pg = await startPlayground();
    const r = await psql(pg.port, [
      'create table pm_pk (id int primary key, name varchar, v double precision)',
      'create table pm_nopk (a bigint, b varchar)',
      'create materialized view pm_mv as select id, count(*) as c from pm_pk group by id',
      "create source pm_src (id int, ts timestamp, watermark for ts as ts - interval '1 second') with (connector = 'datagen')",
    ]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    if (failed && pg) dumpLogs(pg.procs);
    await pg?.stop();
  });
  const guard = (fn: () => Promise<void>) => async () => {
    try { await fn(); } catch (e) { failed = true; throw e; }
  };

  it('\\dt, \\dm, \\dv, \\d list relations by kind', guard(async () => {
    const dt = await meta('\\dt');
    assert.match(dt, /public \| pm_nopk \| table \| root/);
    assert.match(dt, /public \| pm_pk   \| table \| root/);
    assert.doesNotMatch(dt, /pm_mv/);
    assert.match(await meta('\\dm'), /public \| pm_mv \| materialized view \| root/);
    const dv = await psqlAligned(pg!.port, '\\dv');
    assert.equal(dv.code, 0);
    assert.match(dv.stderr, /Did not find any relations/);
    const all = await meta('\\d');
    for (const n of ['pm_mv', 'pm_nopk', 'pm_pk']) assert.match(all, new RegExp(`public \\| ${n}`));
  }));

  it('\\d lists a source as a foreign table; \\d NAME describes it', guard(async () => {
    assert.match(await meta('\\d'), /public \| pm_src +\| foreign table +\| root/);
    const d = await meta('\\d pm_src');
    assert.match(d, /Foreign table "public.pm_src"/);
    assert.match(d, /ts +\| timestamp without time zone/);
    assert.doesNotMatch(d, /_row_id/);
  }));

  it('\\di, \\dn, \\l, \\du', guard(async () => {
    assert.match(await meta('\\di'), /public \| pm_pk_pkey \| index \| root  \| pm_pk/);
    assert.match(await meta('\\dn'), /public \| root/);
    assert.match(await meta('\\l'), /dev +\| root +\| UTF8/);
    assert.match(await meta('\\du'), /root +\| Superuser/);
  }));

  it('\\d NAME shows columns, types, nullability and the primary key', guard(async () => {
    assert.equal(await meta('\\d pm_pk'),
      '                    Table "public.pm_pk"\n' +
      ' Column |       Type        | Collation | Nullable | Default \n' +
      '--------+-------------------+-----------+----------+---------\n' +
      ' id     | integer           |           | not null | \n' +
      ' name   | character varying |           |          | \n' +
      ' v      | double precision  |           |          | \n' +
      'Indexes:\n' +
      '    "pm_pk_pkey" PRIMARY KEY, btree (id)\n\n');
    const nopk = await meta('\\d pm_nopk');
    assert.match(nopk, /Table "public.pm_nopk"/);
    assert.match(nopk, / a +\| bigint +\|/);
    assert.doesNotMatch(nopk, /Indexes|_row_id/);
  }));

  it('\\d+ of a materialized view shows its definition', guard(async () => {
    const out = await meta('\\d+ pm_mv');
    assert.match(out, /Materialized view "public.pm_mv"/);
    assert.match(out, / c +\| bigint/);
    assert.match(out, /View definition:\n select id, count\(\*\) as c from pm_pk group by id;/);
  }));

  it('pg_catalog and information_schema relations filter and join', guard(async () => {
    const r = await psql(pg!.port, [
      "select c.relname, c.relkind from pg_catalog.pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relname ~ '^pm_' order by 1",
      "select column_name, is_nullable from information_schema.columns where table_name = 'pm_pk' order by ordinal_position",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pm_mv|m\npm_nopk|r\npm_pk|r\npm_pk_pkey|i\npm_src|f\nid|NO\nname|YES\nv|YES\n');
  }));
});
