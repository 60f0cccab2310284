// psql's meta-commands against Tributary and against PostgreSQL 15 (Debian's, started here) for the
// same schema: the outputs (unaligned, so column widths do not depend on owner name lengths) must be
// equal once the owner names (root vs postgres) are normalized.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { PSQL, startPlayground, type Playground } from '../harness/cluster.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../harness/postgres.ts';

const SCHEMA = [
  'CREATE TABLE t1 (id INT PRIMARY KEY, name VARCHAR, amount BIGINT, price DOUBLE PRECISION, ok BOOLEAN, ts TIMESTAMP, d NUMERIC)',
  'CREATE TABLE t2 (a INT NOT NULL, b VARCHAR)',
  'CREATE MATERIALIZED VIEW m1 AS SELECT name, count(*) AS cnt FROM t1 GROUP BY name',
  'CREATE SCHEMA s',
  'CREATE TABLE s.t3 (id INT PRIMARY KEY, v VARCHAR NOT NULL, at TIMESTAMPTZ)',
  'CREATE TABLE s.t1 (x INT)',
  'CREATE MATERIALIZED VIEW s.m2 AS SELECT v, count(*) AS n FROM s.t3 GROUP BY v',
  "CREATE USER alice WITH PASSWORD 'secret'",
  'CREATE USER bob',
];
/** Run on PostgreSQL only, to give it what Tributary has built in (the `dev` database). */
const PG_ONLY = ['CREATE DATABASE dev'];
const COMMANDS = [
  '\\d', '\\di', '\\dv', '\\dt', '\\dm', '\\d t1', '\\d t2', '\\d m1', '\\dt t*', '\\dn public',
  '\\dn', '\\dn s', '\\d s.t3', '\\d s.t1', '\\dt s.*', '\\dm s.*', '\\di s.*', '\\d s.m2', '\\dt *.t1',
  '\\du', '\\dg', '\\du alice', '\\du b*', '\\l dev',
];

const STATEMENTS = [
  "SET timezone = 'Europe/Berlin';\nSELECT '2024-01-01 12:00:00+00'::timestamptz AS a, '2024-07-01 12:00:00'::timestamptz AS b, '2024-03-31 02:30:00'::timestamptz AS gap;",
  "SET timezone = 'Asia/Kolkata';\nSHOW timezone;\nSELECT '2024-01-01 12:00:00+00'::timestamptz AS a;",
  "SET timezone = '+02:00';\nSELECT '2024-01-01 12:00:00+00'::timestamptz AS a;",
  "SET timezone = 'America/New_York';\nSELECT '1800-01-01 00:00'::timestamptz AS lmt, '2024-11-03 01:30:00'::timestamptz AS overlap;",
  "SET timezone = 'Mars/Olympus';",
  "SET TIME ZONE -7;\nSHOW timezone;\nSELECT '2024-07-01 12:00:00+00'::timestamptz AS a;",
  "SET TIME ZONE 5.5;\nSHOW timezone;\nSELECT '2024-07-01 12:00:00+00'::timestamptz AS a;",
  "SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE;\nSHOW timezone;\nSELECT '2024-07-01 12:00:00+00'::timestamptz AS a;",
  "SET timezone = 'UTC+3';\nSHOW timezone;\nSELECT '2024-07-01 12:00:00+00'::timestamptz AS a;",
  "SET timezone = 'EST5EDT';\nSELECT '2024-07-01 12:00:00+00'::timestamptz AS a, '2024-01-01 12:00:00'::timestamptz + interval '1 day' AS b;",
  "INSERT INTO t2 VALUES (NULL, 'x');",
  "INSERT INTO s.t3 VALUES (1, NULL, NULL);",
  'CREATE SCHEMA s;',
  'CREATE SCHEMA IF NOT EXISTS s;',
  'DROP SCHEMA nosuch;',
  'DROP SCHEMA IF EXISTS nosuch;',
  'SET search_path TO s, public;\nSELECT current_schema, current_schemas(false), current_schemas(true);\nSHOW search_path;',
  'SET search_path TO nosuch;\nSELECT current_schema, current_schemas(true);',
  // psql's display settings are client-side, over the same results.
  "INSERT INTO t1 (id, name, amount) VALUES (1, 'a', 10), (2, NULL, 20);\n\\x\nSELECT id, name, amount FROM t1 ORDER BY id;\n\\x off\n\\pset format aligned\nSELECT id, name FROM t1 ORDER BY id;\n\\x on\nSELECT id, name FROM t1 ORDER BY id;",
  '\\timing on\nSELECT 1 AS x;\n\\timing off\nSELECT 2 AS y;',
];

/**
 * What must differ: the bootstrap superuser's name (root vs postgres), the replication attribute
 * (Tributary has no replication), the server's locale (C vs the C.UTF-8 initdb picked here; both
 * order by code point) and \\timing's figures.
 */
function normalize(out: string): string {
  return out.replace(/\b(root|postgres)\b/g, '<owner>').replace(/pg_database_owner/g, '<owner>')
    .replace(/, Replication\b/g, '').replace(/\bC\.UTF-8\b/g, 'C').replace(/^Time: \d+\.\d+ ms$/gm, 'Time: <ms>');
}

function run(port: number, user: string, db: string, cmd: string): string {
  const r = spawnSync(PSQL, ['-X', '-A', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-c', cmd], { encoding: 'utf8', timeout: 20_000 });
  return normalize(r.stdout + r.stderr);
}

/** Runs a psql script (several lines, meta-commands included) from stdin. */
function runScript(port: number, user: string, db: string, script: string): string {
  const r = spawnSync(PSQL, ['-X', '-A', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db], { input: script, encoding: 'utf8', timeout: 20_000 });
  return normalize(r.stdout + r.stderr);
}

describe('psql meta-commands match PostgreSQL 15', { skip: postgresAvailable() ? false : 'no PostgreSQL server installed' }, () => {
  let pgServer: Postgres | null = null;
  let trib: Playground | null = null;
  after(async () => {
    await trib?.kill9();
    await pgServer?.stop();
  });

  it('prints the same for \\dt, \\dm, \\d NAME, \\du, \\l, \\x, \\timing', { timeout: 120_000 }, async () => {
    pgServer = await startPostgres();
    trib = await startPlayground();
    for (const sql of SCHEMA) {
      const a: SpawnSyncReturns<string> = spawnSync(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(pgServer.port), '-U', 'postgres', '-d', 'postgres', '-c', sql], { encoding: 'utf8' });
      assert.equal(a.status, 0, a.stderr);
      const b: SpawnSyncReturns<string> = spawnSync(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(trib.port), '-U', 'root', '-d', 'dev', '-c', sql], { encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    for (const sql of PG_ONLY) {
      const a: SpawnSyncReturns<string> = spawnSync(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(pgServer.port), '-U', 'postgres', '-d', 'postgres', '-c', sql], { encoding: 'utf8' });
      assert.equal(a.status, 0, a.stderr);
    }
    for (const cmd of COMMANDS) {
      assert.equal(run(trib.port, 'root', 'dev', cmd), run(pgServer.port, 'postgres', 'postgres', cmd), `psql ${cmd}`);
    }
    // Statements whose output (results, notices and errors) must match too. (Errors PostgreSQL
    // reports with a LINE/caret position, e.g. 3F000 on `CREATE TABLE nosuch.t`, are checked by
    // codes in packages/sql/test/schemas.test.ts: Tributary's errors carry no position yet.)
    for (const sql of STATEMENTS) {
      assert.equal(runScript(trib.port, 'root', 'dev', sql), runScript(pgServer.port, 'postgres', 'postgres', sql), sql);
    }
    // With s first in search_path, s.t1 hides public.t1 (pg_table_is_visible) and \\d t1 is s.t1.
    for (const cmd of ['\\dt', '\\d t1']) {
      const withPath = `SET search_path TO s, public;\n${cmd}`;
      assert.equal(runScript(trib.port, 'root', 'dev', withPath), runScript(pgServer.port, 'postgres', 'postgres', withPath), `psql ${cmd} with search_path s, public`);
    }
    // A new database holds only its own objects: the same names as the first database's, other
    // columns, its own schema s; the meta-commands list none of the first database's relations.
    // (Statements apart: PostgreSQL tags CREATE MATERIALIZED VIEW as `SELECT 0`.)
    for (const [port, user, db] of [[trib.port, 'root', 'dev'], [pgServer.port, 'postgres', 'postgres']] as const) {
      assert.match(runScript(port, user, db, 'CREATE DATABASE shop;'), /CREATE DATABASE/);
      assert.doesNotMatch(runScript(port, user, 'shop', [
        'CREATE TABLE t1 (x INT, y VARCHAR NOT NULL);', 'CREATE SCHEMA s;', 'CREATE TABLE s.only_here (id INT PRIMARY KEY);',
        'CREATE MATERIALIZED VIEW m1 AS SELECT y, count(*) AS n FROM t1 GROUP BY y;',
      ].join('\n')), /ERROR/);
    }
    const inShop = [
      '\\d', '\\dt', '\\dm', '\\dn', '\\d t1', '\\dt s.*', '\\di s.*', '\\l shop', 'SELECT current_database();',
    ].join('\n');
    assert.equal(runScript(trib.port, 'root', 'shop', inShop), runScript(pgServer.port, 'postgres', 'shop', inShop), 'psql in a second database');
  });
});
