// timestamptz and the session TimeZone (issue 6): values are stored as UTC; text input without an
// offset and all text output use the session's zone. Expected texts are PostgreSQL 15's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestCluster, type TestCluster } from './in-process-cluster.ts';
import { m, RawClient } from './raw-client.ts';

let cluster: TestCluster;
let client: pg.Client;

before(async () => {
  cluster = await startTestCluster();
  client = await cluster.client();
});

after(async () => {
  await client?.end();
  await cluster?.close();
});

const textTypes = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;
const rows = async (sql: string, c = client): Promise<unknown[][]> => (await c.query({ text: sql, rowMode: 'array', types: textTypes })).rows;

test('timestamptz is stored as UTC and printed in the session TimeZone', async () => {
  await client.query('create table events (id int primary key, at timestamptz)');
  await client.query("insert into events values (1, '2024-01-01 12:00:00+01'), (2, '2024-07-01 12:00:00Z'), (3, '2024-01-01 12:00:00')");
  await client.query('flush');
  assert.deepEqual(await rows('select at from events order by id'),
    [['2024-01-01 11:00:00+00'], ['2024-07-01 12:00:00+00'], ['2024-01-01 12:00:00+00']]);
  await client.query("set timezone = 'Europe/Berlin'");
  assert.deepEqual(await rows('show timezone'), [['Europe/Berlin']]);
  assert.deepEqual(await rows('select at from events order by id'),
    [['2024-01-01 12:00:00+01'], ['2024-07-01 14:00:00+02'], ['2024-01-01 13:00:00+01']]);
  // Input without an offset is read in the session zone; comparisons work on the instant.
  assert.deepEqual(await rows("select id from events where at = '2024-07-01 14:00:00'"), [['2']]);
  assert.deepEqual(await rows("select '2024-03-31 02:30:00'::timestamptz, '2024-10-27 02:30:00'::timestamptz"),
    [['2024-03-31 03:30:00+02', '2024-10-27 02:30:00+01']]);
  assert.deepEqual(await rows("select '2024-07-01 12:00:00+00'::timestamptz::timestamp, '2024-07-01 12:00:00'::timestamp::timestamptz, '2024-07-01 23:30:00+00'::timestamptz::date"),
    [['2024-07-01 14:00:00', '2024-07-01 12:00:00+02', '2024-07-02']]);
  // Days and months move the wall clock in the zone, hours the instant (PostgreSQL 15's results).
  assert.deepEqual(await rows("select '2024-03-30 12:00'::timestamptz + interval '1 day', '2024-03-30 12:00'::timestamptz + interval '24 hours', '2024-02-29 12:00'::timestamptz + interval '1 month 1 day 1 hour'"),
    [['2024-03-31 12:00:00+02', '2024-03-31 13:00:00+02', '2024-03-30 13:00:00+01']]);
  await client.query("set timezone = 'Asia/Kolkata'");
  assert.deepEqual(await rows('select at from events where id = 1'), [['2024-01-01 16:30:00+05:30']]);
  // A POSIX-style offset: PostgreSQL reads '+02:00' as two hours WEST of Greenwich.
  await client.query("set timezone = '+02:00'");
  assert.deepEqual(await rows('show timezone'), [['+02:00']]);
  assert.deepEqual(await rows('select at from events where id = 1'), [['2024-01-01 09:00:00-02']]);
  await client.query("set time zone 'America/New_York'");
  assert.deepEqual(await rows("select '1800-01-01 00:00'::timestamptz, '2024-01-01 12:00 Europe/Berlin'::timestamptz"),
    [['1800-01-01 00:00:00-04:56:02', '2024-01-01 06:00:00-05']]);
  await assert.rejects(client.query("set timezone = 'Mars/Olympus'"), (e: { code?: string }) => e.code === '22023');
  await client.query("set timezone = 'UTC'");
  assert.deepEqual(await rows('select at from events where id = 1'), [['2024-01-01 11:00:00+00']]);
});

test('each session has its own TimeZone, also over the extended protocol', async () => {
  const berlin = await cluster.client();
  const tokyo = await cluster.client();
  try {
    await berlin.query("set timezone = 'Europe/Berlin'");
    await tokyo.query("set timezone = 'Asia/Tokyo'");
    const [a, b] = await Promise.all([
      berlin.query({ text: 'select at from events where id = $1', values: [2], rowMode: 'array', types: textTypes }),
      tokyo.query({ text: 'select at from events where id = $1', values: [2], rowMode: 'array', types: textTypes }),
    ]);
    assert.deepEqual(a.rows, [['2024-07-01 14:00:00+02']]);
    assert.deepEqual(b.rows, [['2024-07-01 21:00:00+09']]);
    const param = await berlin.query({ text: 'select $1::timestamptz', values: ['2024-01-01 12:00:00'], rowMode: 'array', types: textTypes });
    assert.deepEqual(param.rows, [['2024-01-01 12:00:00+01']]);
  } finally {
    await berlin.end();
    await tokyo.end();
  }
});

test('COPY reads and writes timestamptz in the session TimeZone', async () => {
  const c = await cluster.client();
  try {
    await c.query("set timezone = 'Europe/Berlin'");
    await c.query('create table stamps (id int primary key, at timestamptz)');
    const raw = await RawClient.connect(cluster.port);
    raw.send(m.query("set timezone = 'Europe/Berlin'"));
    await raw.until('Z');
    raw.send(m.query('copy stamps from stdin'));
    await raw.until('G');
    raw.send(m.copyData('1\t2024-01-01 12:00:00\n2\t2024-07-01 12:00:00+00\n'), m.copyDone());
    assert.equal((await raw.until('Z'))[0].body.toString('utf8'), 'COPY 2\0');
    raw.send(m.query('copy stamps to stdout'));
    const out = await raw.until('Z');
    const lines = out.filter((x) => x.type === 'd').map((x) => x.body.toString('utf8')).sort();
    assert.deepEqual(lines, ['1\t2024-01-01 12:00:00+01\n', '2\t2024-07-01 14:00:00+02\n']);
    raw.end();
    await c.query("set timezone = 'UTC'");
    assert.deepEqual(await rows('select at from stamps order by id', c), [['2024-01-01 11:00:00+00'], ['2024-07-01 12:00:00+00']]);
  } finally {
    await c.end();
  }
});
