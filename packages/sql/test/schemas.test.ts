// Schemas, search_path and databases (issue 6): qualified names in DDL and DML, name resolution
// through search_path, the catalog views, error codes, and persistence across a meta restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startTestCluster, type TestCluster } from './in-process-cluster.ts';
import { errorCode, m, RawClient } from './raw-client.ts';

const PSQL = '/usr/bin/psql';
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
const codeOf = async (sql: string, c = client): Promise<string | undefined> => {
  try {
    await c.query(sql);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

test('CREATE SCHEMA, qualified DDL and DML, DROP SCHEMA [CASCADE] with PostgreSQL error codes', async () => {
  await client.query('create schema s1');
  assert.equal(await codeOf('create schema s1'), '42P06');
  await client.query('create schema if not exists s1');
  await client.query('create table s1.t (a int primary key, b varchar)');
  await client.query('create table t (a int primary key, b varchar)');
  await client.query("insert into s1.t values (1, 'in s1'), (2, 'two')");
  await client.query("insert into t values (1, 'in public')");
  await client.query("update s1.t set b = 'TWO' where a = 2");
  await client.query('delete from s1.t where a = 1');
  await client.query('create materialized view s1.mv as select count(*) as n from s1.t');
  await client.query('flush');
  assert.deepEqual(await rows('select a, b from s1.t order by a'), [['2', 'TWO']]);
  assert.deepEqual(await rows('select a, b from t'), [['1', 'in public']]);
  assert.deepEqual(await rows('select a, b from public.t'), [['1', 'in public']]);
  assert.deepEqual(await rows('select n from s1.mv'), [['1']]);
  assert.deepEqual(await rows('select x.b, y.b from s1.t x join public.t y on x.a = y.a + 1'), [['TWO', 'in public']]);
  assert.equal(await codeOf('create table nosuch.t (a int)'), '3F000');
  assert.equal(await codeOf('select * from nosuch.t'), '42P01');
  assert.equal(await codeOf('drop schema s1'), '2BP01');
  assert.equal(await codeOf('drop schema nosuch'), '3F000');
  await client.query('drop schema if exists nosuch');
  assert.deepEqual(await rows("select nspname from pg_namespace where nspname = 's1'"), [['s1']]);
  assert.deepEqual(await rows("select schema_name from information_schema.schemata where schema_name = 's1'"), [['s1']]);
  assert.deepEqual(await rows("select schemaname, tablename from pg_tables where schemaname = 's1'"), [['s1', 't']]);
  await client.query('drop schema s1 cascade');
  assert.equal(await codeOf('select * from s1.t'), '42P01');
  assert.deepEqual(await rows("select count(*) from pg_namespace where nspname = 's1'"), [['0']]);
  assert.deepEqual(await rows('select a from t'), [['1']]);
  await client.query('drop table t');
});

test('search_path: unqualified names resolve through it; CREATE goes to the first existing schema', async () => {
  const c = await cluster.client();
  try {
    await c.query('create schema app');
    await c.query('create table shared (v int)');
    await c.query('set search_path to app, public');
    assert.deepEqual(await rows('show search_path', c), [['app, public']]);
    await c.query('create table items (id int primary key, name varchar)');
    await c.query("insert into items values (1, 'one')");
    await c.query('insert into shared values (7)');
    await c.query('flush');
    assert.deepEqual(await rows("select table_schema from information_schema.tables where table_name = 'items'", c), [['app']]);
    assert.deepEqual(await rows('select name from app.items', c), [['one']]);
    assert.deepEqual(await rows('select v from shared', c), [['7']]);
    assert.deepEqual(await rows('select current_schema, current_schemas(false), current_schemas(true)', c),
      [['app', '{app,public}', '{pg_catalog,app,public}']]);
    await c.query('set search_path to nosuch');
    assert.equal(await codeOf('create table x (a int)', c), '3F000');
    assert.deepEqual(await rows('select current_schema', c), [[null]]);
    await c.query('set search_path to public');
    assert.equal(await codeOf('select * from items', c), '42P01');
    await c.query('drop table app.items');
    await c.query('drop table shared');
    await c.query('drop schema app');
  } finally {
    await c.end();
  }
});

test('CREATE/DROP DATABASE: listed by pg_database; connecting to an unknown database is 3D000', async () => {
  await client.query('create database analytics');
  assert.equal(await codeOf('create database analytics'), '42P04');
  assert.deepEqual(await rows("select datname from pg_database order by datname"), [['analytics'], ['dev']]);
  const other = await cluster.client({ database: 'analytics' });
  assert.deepEqual(await rows('select current_database()', other), [['analytics']]);
  assert.equal(await codeOf('drop database analytics', other), '55006');
  await other.end();
  await assert.rejects(cluster.client({ database: 'nosuch' }), (err: { code?: string }) => err.code === '3D000');
  await client.query('drop database analytics');
  assert.equal(await codeOf('drop database analytics'), '3D000');
  assert.deepEqual(await rows('select datname from pg_database'), [['dev']]);
});

test('NOT NULL: recorded, shown by the catalog views, enforced on INSERT, INSERT ... SELECT, UPDATE and COPY', async () => {
  await client.query('create table nn (id int primary key, a varchar not null, b int)');
  assert.deepEqual(await rows("select attname, attnotnull from pg_attribute a join pg_class c on a.attrelid = c.oid where c.relname = 'nn' order by attnum"),
    [['id', 't'], ['a', 't'], ['b', 'f']]);
  assert.deepEqual(await rows("select column_name, is_nullable from information_schema.columns where table_name = 'nn' order by ordinal_position"),
    [['id', 'NO'], ['a', 'NO'], ['b', 'YES']]);
  const err = await client.query('insert into nn (id, b) values (1, 2)').catch((e: { code: string; message: string; detail: string }) => e);
  assert.equal((err as { code: string }).code, '23502');
  assert.equal((err as { message: string }).message, 'null value in column "a" of relation "nn" violates not-null constraint');
  assert.equal((err as { detail: string }).detail, 'Failing row contains (1, null, 2).');
  assert.equal(await codeOf('insert into nn values (null, \'x\', 1)'), '23502');
  await client.query("insert into nn values (1, 'x', 1), (2, 'y', null)");
  await client.query('flush');
  assert.equal(await codeOf('insert into nn select id + 10, null, b from nn'), '23502');
  assert.equal(await codeOf('update nn set a = null where id = 2'), '23502');
  await client.query("update nn set b = null where id = 1");
  await client.query('flush');
  assert.deepEqual(await rows('select id, a, b from nn order by id'), [['1', 'x', null], ['2', 'y', null]]);
  const c = await RawClient.connect(cluster.port);
  c.send(m.query('copy nn from stdin'));
  await c.until('G');
  c.send(m.copyData('3\t\\N\t3\n'), m.copyDone());
  const failed = await c.until('Z');
  assert.equal(errorCode(failed[0].body), '23502');
  c.end();
  await client.query('drop table nn');
});

test('session functions: current_user, session_user, current_database(), current_schema, current_schemas', async () => {
  const r = await client.query({ text: 'select current_user, session_user, user, current_database(), current_catalog, current_schema, current_schema(), current_schemas(true)', rowMode: 'array' });
  assert.deepEqual(r.fields.map((f) => f.name), ['current_user', 'session_user', 'user', 'current_database', 'current_catalog', 'current_schema', 'current_schema', 'current_schemas']);
  assert.deepEqual(r.rows[0], ['root', 'root', 'root', 'dev', 'dev', 'public', 'public', '{pg_catalog,public}']);
  const prepared = await client.query({ text: 'select current_user = $1 as me', values: ['root'] });
  assert.deepEqual(prepared.rows, [{ me: true }]);
});

test('psql: \\l lists databases, \\c switches, \\dn lists schemas, DROP SCHEMA notices', { skip: !existsSync(PSQL) }, async () => {
  const script = [
    'create database reports;', '\\l', '\\c reports', 'select current_database();',
    'create schema tmp;', 'create table tmp.a (x int);', 'create table tmp.b (y int);', '\\dn',
    'drop schema tmp cascade;', 'drop schema if exists tmp;', '\\c dev', 'drop database reports;',
  ].join('\n');
  // Asynchronously: the cluster runs in this process, spawnSync would block it.
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(PSQL, ['-X', '-A', '-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'root', '-d', 'dev', '-v', 'ON_ERROR_STOP=1']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(script);
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\nreports\|root\|UTF8\|/);
  assert.match(r.stdout, /You are now connected to database "reports" as user "root"\.\ncurrent_database\nreports\n/);
  assert.match(r.stdout, /List of schemas\nName\|Owner\npublic\|root\ntmp\|root\n/);
  assert.match(r.stderr, /NOTICE: {2}drop cascades to 2 other objects/);
  assert.match(r.stderr, /NOTICE: {2}schema "tmp" does not exist, skipping/);
});

test('GRANT on a schema-qualified table is checked whichever way the table is named', async () => {
  await client.query('create schema priv');
  await client.query('create table priv.secrets (id int primary key, v varchar)');
  await client.query('create table secrets (id int primary key, v varchar)');
  await client.query("insert into priv.secrets values (1, 'in priv')");
  await client.query('flush');
  await client.query('create user bob');
  await client.query('grant select on priv.secrets to bob');
  const bob = await cluster.client({ user: 'bob' });
  try {
    assert.deepEqual(await rows('select v from priv.secrets', bob), [['in priv']]);
    assert.equal(await codeOf('select v from secrets', bob), '42501'); // public.secrets: no grant
    await bob.query('set search_path to priv, public');
    assert.deepEqual(await rows('select v from secrets', bob), [['in priv']]);
    assert.equal(await codeOf("insert into secrets values (2, 'x')", bob), '42501');
  } finally {
    await bob.end();
  }
  await client.query('drop schema priv cascade');
  await client.query('drop table secrets');
  await client.query('drop user bob');
});

test("search_path and TimeZone from the start-up 'options' (PGOPTIONS='-c search_path=...')", async () => {
  await client.query('create schema opt');
  await client.query('create table opt.only_here (x int)');
  const c = await cluster.client({ options: '-c search_path=opt,public -c TimeZone=Asia/Tokyo' });
  try {
    assert.deepEqual(await rows('select current_schemas(false), count(*) from only_here', c), [['{opt,public}', '0']]);
    assert.deepEqual(await rows("select '2024-01-01 00:00:00+00'::timestamptz", c), [['2024-01-01 09:00:00+09']]);
  } finally {
    await c.end();
  }
  await client.query('drop schema opt cascade');
});

test('a database holds its own schemas and relations: same names in two databases, views, grants, catalogs, DROP DATABASE drops its objects', async () => {
  await client.query('create database shop');
  const shop = await cluster.client({ database: 'shop' });
  try {
    // The same names in both databases, with different columns.
    await client.query('create table items (id int primary key, w int)');
    await shop.query('create table items (id int primary key, v varchar)');
    assert.equal(await codeOf('create table items (id int)', shop), '42P07');
    await client.query('insert into items values (1, 100)');
    await shop.query("insert into items values (1, 'a'), (2, 'b')");
    await shop.query('create materialized view n_items as select count(*) as n from items');
    await shop.query('create schema app');
    await client.query('create schema app');
    await shop.query('create table app.orders (id int primary key, item int)');
    await shop.query('create materialized view app.order_items as select o.id, i.v from app.orders o join items i on o.item = i.id');
    await shop.query('insert into app.orders values (10, 2)');
    await shop.query('flush');
    await client.query('flush');
    assert.deepEqual(await rows('select id, v from items order by id', shop), [['1', 'a'], ['2', 'b']]);
    assert.deepEqual(await rows('select id, w from items', client), [['1', '100']]);
    assert.deepEqual(await rows('select n from n_items', shop), [['2']]);
    assert.deepEqual(await rows('select id, v from app.order_items', shop), [['10', 'b']]);
    // The other database's objects cannot be named.
    assert.equal(await codeOf('select * from n_items'), '42P01');
    assert.equal(await codeOf('select * from app.orders'), '42P01');
    assert.equal(await codeOf('drop materialized view n_items'), '42P01');
    assert.equal(await codeOf('select * from dev.public.items', shop), '0A000');
    // Three-part names through every statement that names a relation: the own database is fine.
    assert.deepEqual(await rows('select count(*) from shop.public.items i join shop.app.orders o on o.item = i.id', shop), [['1']]);
    await shop.query('create materialized view shop.public.n2 as select count(*) as n from shop.public.items');
    assert.deepEqual(await rows('select n from shop.public.n2', shop), [['2']]);
    await shop.query('drop materialized view shop.public.n2');
    for (const sql of ['drop table dev.public.items', 'create materialized view dev.public.x as select 1 as a',
      'show columns from dev.public.items', 'insert into dev.public.items values (9, 9)', 'grant select on dev.public.items to root']) {
      assert.equal(await codeOf(sql, shop), '0A000', sql);
    }
    assert.equal(await codeOf('select * from a.b.c.d', shop), '42601');
    // Catalogs show the session's database only.
    assert.deepEqual(await rows("select relname from pg_class where relkind in ('r', 'm') and relnamespace in (select oid from pg_namespace where nspname in ('public', 'app')) order by 1", shop),
      [['items'], ['n_items'], ['order_items'], ['orders']]);
    assert.deepEqual(await rows("select relname from pg_class where relkind in ('r', 'm') and relnamespace in (select oid from pg_namespace where nspname in ('public', 'app')) and relname in ('items', 'n_items', 'orders') order by 1"),
      [['items']]);
    assert.deepEqual(await rows("select table_catalog, table_schema, table_name from information_schema.tables where table_schema in ('public', 'app') order by 3", shop),
      [['shop', 'public', 'items'], ['shop', 'app', 'orders']]);
    assert.deepEqual(await rows("select matviewname from pg_matviews where matviewname in ('n_items', 'order_items') order by 1"), []);
    assert.deepEqual(await rows('show tables', shop), [['items']]);
    assert.deepEqual(await rows("select pg_get_viewdef(oid) from pg_class where relname = 'n_items'", shop), [[' select count(*) as n from items;']]);
    assert.deepEqual(await rows("select pg_get_viewdef(oid) from pg_class where relname = 'n_items'"), []);
    // A grant in one database does not open the same name in another.
    await client.query('create user carol');
    await shop.query('grant select on items to carol');
    const carolShop = await cluster.client({ database: 'shop', user: 'carol' });
    const carolDev = await cluster.client({ user: 'carol' });
    try {
      assert.deepEqual(await rows('select count(*) from items', carolShop), [['2']]);
      assert.equal(await codeOf('select count(*) from items', carolDev), '42501');
    } finally {
      await carolShop.end();
      await carolDev.end();
    }
    await client.query('drop user carol');
    // PostgreSQL's rule: not while other sessions use it (after waiting up to 5 s for them to end).
    const err = await client.query('drop database shop').catch((e: { code: string; message: string; detail: string }) => e);
    assert.deepEqual([(err as { code: string }).code, (err as { message: string }).message, (err as { detail: string }).detail],
      ['55006', 'database "shop" is being accessed by other users', 'There is 1 other session using the database.']);
  } finally {
    await shop.end();
  }
  // Everything in shop goes with it; dev's objects of the same names stay.
  await client.query('drop database shop');
  assert.deepEqual(await rows('select id, w from items'), [['1', '100']]);
  assert.deepEqual(await rows("select nspname from pg_namespace where nspname = 'app'"), [['app']]);
  await client.query('create database shop');
  const again = await cluster.client({ database: 'shop' });
  try {
    assert.equal(await codeOf('select * from items', again), '42P01');
    assert.deepEqual(await rows("select nspname from pg_namespace where nspname = 'app'", again), []);
  } finally {
    await again.end();
  }
  await client.query('drop database shop');
  await client.query('drop table items');
  await client.query('drop schema app');
});

test('a dropped relation takes its grants with it: a new relation of the same name starts with none', async () => {
  await client.query('create user dave');
  await client.query('create table gt (id int primary key)');
  await client.query('grant select on gt to dave');
  const dave = await cluster.client({ user: 'dave' });
  try {
    assert.deepEqual(await rows('select count(*) from gt', dave), [['0']]);
    await client.query('drop table gt');
    await client.query('create table gt (id int primary key)');
    assert.equal(await codeOf('select count(*) from gt', dave), '42501');
  } finally {
    await dave.end();
  }
  await client.query('drop table gt');
  await client.query('drop user dave');
});
