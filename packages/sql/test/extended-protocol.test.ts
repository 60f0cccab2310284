// Extended query protocol end to end: node-postgres and postgres.js against an in-process cluster,
// plus exact message sequences (portals with row limits, binary formats, errors in a batch).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import postgres from 'postgres';
import { startTestCluster, type TestCluster } from './in-process-cluster.ts';
import { dataRowValues, errorCode, m, RawClient, types } from './raw-client.ts';

let cluster: TestCluster;
let client: pg.Client;

before(async () => {
  cluster = await startTestCluster();
  client = await cluster.client();
  await client.query(`create table ty (id bigint primary key, n numeric, d date, ts timestamp, tz timestamptz, raw bytea,
    f real, g double precision, s smallint, i int, t varchar, ok boolean)`);
  await client.query(`insert into ty values
    (1, -12345.678901, '2024-02-29', '2024-01-01 10:00:00.123456', '1999-12-31 23:59:59+00', '\\x0102ff', 1.25, -2.5, 7, -9, 'héllo', true),
    (2, 0.0001, '1970-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '\\x', 0, 0, 0, 0, '', false),
    (3, null, null, null, null, null, null, null, null, null, null, null)`);
  await client.query('create table nums (k int primary key, v varchar)');
  await client.query(`insert into nums values ${Array.from({ length: 10 }, (_, i) => `(${i}, 'v${i}')`).join(', ')}`);
  await client.query('flush');
});

after(async () => {
  await client?.end();
  await cluster?.close();
});

test('pg: parameters of every common type, inferred from their context', async () => {
  const r = await client.query(
    'select id, n, t from ty where id = $1 and n = $2 and d = $3 and ts = $4 and tz = $5 and raw = $6 and f = $7 and g = $8 and s = $9 and i = $10 and t = $11 and ok = $12',
    [1, '-12345.678901', '2024-02-29', '2024-01-01 10:00:00.123456', '1999-12-31T23:59:59Z', Buffer.from([1, 2, 255]), 1.25, -2.5, 7, -9, 'héllo', true],
  );
  assert.deepEqual(r.rows, [{ id: '1', n: '-12345.678901', t: 'héllo' }]);
  const typed = await client.query('select $1::int + 1 as x, $2::varchar as y, $3::bigint as z, $4 as w', [41, 'hi', '9007199254740993', null]);
  assert.deepEqual(typed.rows, [{ x: 42, y: 'hi', z: '9007199254740993', w: null }]);
});

test('pg: named prepared statements are parsed once and reused; INSERT/UPDATE/DELETE take parameters', async () => {
  await client.query('create table kv (k int primary key, v varchar)');
  for (let i = 0; i < 5; i++) await client.query({ name: 'kv-ins', text: 'insert into kv values ($1, $2)', values: [i, `v${i}`] });
  await client.query('flush'); // UPDATE and DELETE find their rows in the committed snapshot
  await client.query('update kv set v = $1 where k = $2', ['changed', 3]);
  await client.query('delete from kv where k = $1', [4]);
  await client.query('flush');
  const r = await client.query({ name: 'kv-sel', text: 'select k, v from kv where k >= $1 order by k limit $2', values: [1, 10] });
  assert.deepEqual(r.rows, [{ k: 1, v: 'v1' }, { k: 2, v: 'v2' }, { k: 3, v: 'changed' }]);
  const again = await client.query({ name: 'kv-sel', text: 'select k, v from kv where k >= $1 order by k limit $2', values: [3, 1] });
  assert.deepEqual(again.rows, [{ k: 3, v: 'changed' }]);
});

test('pg: errors in the extended protocol keep the connection usable', async () => {
  await assert.rejects(client.query('select $1::int', ['not a number']), (e: { code: string }) => e.code === '22P02');
  await assert.rejects(client.query('select * from missing where a = $1', [1]), (e: { code: string }) => e.code === '42P01');
  await assert.rejects(client.query('select $1::int; select 2', [1]), (e: { code: string }) => e.code === '42601');
  assert.deepEqual((await client.query('select $1::int as ok', [1])).rows, [{ ok: 1 }]);
});

test('postgres.js: prepared statements, types, cursors, transactions, errors', async () => {
  const sql = postgres({ host: '127.0.0.1', port: cluster.port, user: 'root', database: 'dev', max: 2, onnotice: () => undefined });
  try {
    const [row] = await sql`select ${1}::int as a, ${'x'} as b, ${true}::boolean as c, ${1.5}::float8 as d`;
    assert.deepEqual(row, { a: 1, b: 'x', c: true, d: 1.5 });
    // Default options: postgres.js loaded the array types from pg_type at connect (_int4 = 1007).
    assert.equal(typeof (sql.options.parsers as Record<number, unknown>)[1007], 'function');
    const [t] = await sql`select * from ty where id = ${1}`;
    assert.equal(t.t, 'héllo');
    assert.equal(t.n, '-12345.678901');
    assert.deepEqual(t.raw, Buffer.from([1, 2, 255]));
    assert.equal((t.tz as Date).toISOString(), '1999-12-31T23:59:59.000Z');
    for (let i = 0; i < 3; i++) assert.equal((await sql`select v from nums where k = ${i}`)[0].v, `v${i}`); // same statement, reused
    const batches: number[] = [];
    for await (const rows of sql`select k from nums order by k`.cursor(4)) batches.push(rows.length);
    assert.deepEqual(batches, [4, 4, 2]);
    await assert.rejects(sql`select 1/0`, (e: { code: string }) => e.code === '22012');
    await sql.begin(async (tx) => {
      await tx`insert into nums values (${100}, ${'in tx'})`;
    });
    await sql`flush`;
    assert.equal((await sql`select v from nums where k = ${100}`)[0].v, 'in tx');
  } finally {
    await sql.end();
  }
});

test('protocol: a portal with a row limit suspends and resumes', async () => {
  const c = await RawClient.connect(cluster.port);
  c.send(m.parse('s1', 'select k from nums where k < $1 order by k', [23]), m.bind('p1', 's1', ['5']),
    m.describe('P', 'p1'), m.execute('p1', 2), m.execute('p1', 2), m.execute('p1', 2), m.sync());
  const msgs = await c.until('Z');
  assert.equal(types(msgs), '12TDDsDDsDCZ');
  assert.deepEqual(msgs.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0]!.toString()), ['0', '1', '2', '3', '4']);
  assert.equal(msgs.find((x) => x.type === 'C')!.body.toString('utf8'), 'SELECT 1\0');
  c.send(m.describe('S', 's1'), m.close('S', 's1'), m.describe('S', 's1'), m.sync());
  const described = await c.until('Z');
  assert.equal(types(described), 'tT3EZ');
  assert.equal(described[0].body.readInt32BE(2), 23);
  c.end();
});

test('protocol: Describe of a UNION / UNION ALL returns its RowDescription', async () => {
  const c = await RawClient.connect(cluster.port);
  for (const op of ['union', 'union all']) {
    c.send(m.parse('u', `select k, v from nums where k < $1 ${op} select k, v from nums where k > 8`), m.describe('S', 'u'), m.sync());
    const msgs = await c.until('Z');
    assert.equal(types(msgs), '1tTZ', op);
    const t = msgs.find((x) => x.type === 'T')!.body;
    assert.equal(t.readInt16BE(0), 2);
    assert.equal(t.subarray(2, t.indexOf(0, 2)).toString(), 'k');
    c.send(m.close('S', 'u'), m.sync());
    await c.until('Z');
  }
  c.end();
  const rows = await client.query('select k from nums where k < $1 union all select k from nums where k = $2 order by k', [2, 5]);
  assert.deepEqual(rows.rows.map((r) => r.k), [0, 1, 5]);
});

test('protocol: an error skips the rest of the batch until Sync; ReadyForQuery reports I / T / E', async () => {
  const c = await RawClient.connect(cluster.port);
  c.send(m.parse('', 'select nope from nums'), m.bind('', '', []), m.execute(''), m.sync());
  const failed = await c.until('Z');
  assert.equal(types(failed), 'EZ');
  assert.equal(errorCode(failed[0].body), '42703');
  assert.equal(failed[1].body.toString(), 'I');
  c.send(m.query('begin'));
  assert.equal((await c.until('Z')).at(-1)!.body.toString(), 'T');
  c.send(m.query('select 1/0'));
  assert.equal((await c.until('Z')).at(-1)!.body.toString(), 'E');
  c.send(m.query('select 1'));
  const refused = await c.until('Z');
  assert.equal(errorCode(refused[0].body), '25P02');
  c.send(m.query('commit'));
  const ended = await c.until('Z');
  assert.equal(ended[0].body.toString('utf8'), 'ROLLBACK\0');
  assert.equal(ended.at(-1)!.body.toString(), 'I');
  c.send(m.query('begin read only'), m.query('insert into nums values (999, \'x\')'), m.query('rollback'));
  const ro = await c.until('Z');
  const roErr = await c.until('Z');
  await c.until('Z');
  assert.equal(types(ro), 'CZ');
  assert.equal(errorCode(roErr[0].body), '25006');
  c.end();
});

test('protocol: binary results and binary parameters', async () => {
  const c = await RawClient.connect(cluster.port);
  const int4 = Buffer.alloc(4);
  int4.writeInt32BE(1);
  c.send(m.parse('', 'select id, n, d, ts, tz, raw, f, g, s, i, t, ok from ty where id = $1::int4'),
    m.bind('', '', [int4], [1], [1]), m.execute(''), m.sync());
  const msgs = await c.until('Z');
  assert.equal(types(msgs), '12DCZ');
  const [id, n, d, ts, tz, raw, f, g, s, i, t, ok] = dataRowValues(msgs[2].body);
  assert.equal(id!.readBigInt64BE(0), 1n);
  // numeric -12345.678901: ndigits 4, weight 1, sign 0x4000, dscale 6, digits 1 2345 6789 0100
  assert.deepEqual([0, 2, 4, 6, 8, 10, 12, 14].map((o) => n!.readUInt16BE(o)), [4, 1, 0x4000, 6, 1, 2345, 6789, 100]);
  assert.equal(d!.readInt32BE(0), 8825); // days from 2000-01-01 to 2024-02-29
  assert.equal(ts!.readBigInt64BE(0), 757418400123456n);
  assert.equal(tz!.readBigInt64BE(0), -1000000n);
  assert.deepEqual([...raw!], [1, 2, 255]);
  assert.equal(f!.readFloatBE(0), 1.25);
  assert.equal(g!.readDoubleBE(0), -2.5);
  assert.equal(s!.readInt16BE(0), 7);
  assert.equal(i!.readInt32BE(0), -9);
  assert.equal(t!.toString('utf8'), 'héllo');
  assert.equal(ok![0], 1);
  c.end();
});

test('statement_timeout cancels a running statement with 57014', async () => {
  const c = await cluster.client();
  try {
    await c.query('set statement_timeout = 1');
    await assert.rejects(c.query('flush'), (e: { code: string; message: string }) => e.code === '57014' && /statement timeout/.test(e.message));
    await c.query('reset statement_timeout');
    await c.query('flush');
  } finally {
    await c.end();
  }
});

test('a cancel request stops a running statement (COPY waiting for data), and the session goes on', async () => {
  const c = await RawClient.connect(cluster.port);
  c.send(m.query('copy nums from stdin'));
  await c.until('G');
  await c.cancel(cluster.port);
  const cancelled = await c.until('Z');
  assert.equal(types(cancelled), 'EZ');
  assert.equal(errorCode(cancelled[0].body), '57014');
  c.send(m.copyData('1\tlate\n'), m.copyDone(), m.query('select 7'));
  const next = await c.until('Z');
  assert.equal(types(next), 'TDCZ');
  c.end();
});

test('SET / SHOW / RESET of session settings; ParameterStatus for reported ones; implicit_flush', async () => {
  const c = await RawClient.connect(cluster.port);
  c.send(m.query("set application_name = 'my app'"));
  const set = await c.until('Z');
  assert.equal(types(set), 'SCZ');
  assert.equal(set[0].body.toString('utf8'), 'application_name\0my app\0');
  c.send(m.query('set extra_float_digits = 7'));
  assert.equal(errorCode((await c.until('Z'))[0].body), '22023');
  c.send(m.query('set no_such_thing = 1'));
  assert.equal(errorCode((await c.until('Z'))[0].body), '42704');
  c.end();
  const p = await cluster.client();
  try {
    await p.query("set search_path = 'foo', public");
    await p.query("set time zone 'Europe/Paris'");
    await p.query('set statement_timeout = \'5s\'');
    assert.deepEqual((await p.query('show search_path')).rows, [{ search_path: 'foo, public' }]);
    assert.deepEqual((await p.query('show time zone')).rows, [{ TimeZone: 'Europe/Paris' }]);
    assert.deepEqual((await p.query('show statement_timeout')).rows, [{ statement_timeout: '5000' }]);
    const all = await p.query('show all');
    assert.deepEqual(Object.keys(all.rows[0]), ['name', 'setting', 'description']);
    assert.ok(all.rows.some((r) => r.name === 'DateStyle' && r.setting === 'ISO, MDY'));
    await p.query('reset all');
    assert.deepEqual((await p.query('show timezone')).rows, [{ TimeZone: 'UTC' }]);
    await p.query('set implicit_flush = true');
    await p.query("insert into nums values (500, 'flushed')");
    assert.deepEqual((await p.query('select v from nums where k = 500')).rows, [{ v: 'flushed' }]);
  } finally {
    await p.end();
  }
});
