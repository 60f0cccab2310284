// psql's own tab completion (readline on a terminal: `script` gives psql a pty) against Tributary
// and against PostgreSQL 15 for the same schema: the completed lines and candidate lists match.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { PSQL, startPlayground, type Playground } from '../harness/cluster.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../harness/postgres.ts';

const SCHEMA = [
  'CREATE TABLE tab_orders (id INT PRIMARY KEY, amount INT)',
  'CREATE TABLE tab_items (id INT PRIMARY KEY, name VARCHAR)',
  'CREATE MATERIALIZED VIEW tab_summary AS SELECT count(*) AS n FROM tab_orders',
  'CREATE SCHEMA tabs',
  'CREATE TABLE tabs.inner_one (x INT)',
  'CREATE TABLE tabs.inner_two (x INT)',
];

/** Keystroke groups typed into an interactive psql, then Ctrl-C and \q. */
const SESSIONS: string[][] = [
  ['select * from tab_o\t', ';\n'],
  ['select * from tab_\t\t', '\x03'],
  ['\\d tab_s\t', '\n'],
  ['select amo\t', '\x03'],
  ['select * from tabs.\t\t', '\x03'],
  ['select * from tabs.inner_t\t', '\x03'],
  ['insert into tab_i\t', '\x03'],
];

/** Types `keys` into psql on a pty, a pause after each group (completion queries the server). */
function interactive(port: number, user: string, keys: string[]): Promise<string> {
  return new Promise((resolve) => {
    const cmd = `${PSQL} -X -h 127.0.0.1 -p ${port} -U ${user} -d dev`;
    const child = spawn('script', ['-q', '-c', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb', PAGER: 'cat' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    void (async () => {
      for (const k of [...keys, '\\q\n']) {
        await new Promise((r) => setTimeout(r, 1000));
        child.stdin.write(k);
      }
      await new Promise((r) => setTimeout(r, 500));
      child.stdin.end();
    })();
    child.on('exit', () => resolve(out.split('\r\n').slice(1).join('\n'))); // the banner names the server version
  });
}

describe('psql tab completion matches PostgreSQL 15', { skip: postgresAvailable() ? false : 'no PostgreSQL server installed' }, () => {
  let pgServer: Postgres | null = null;
  let trib: Playground | null = null;
  after(async () => {
    await trib?.kill9();
    await pgServer?.stop();
  });

  it('completes relation, column and schema names as PostgreSQL does', { timeout: 180_000 }, async () => {
    [pgServer, trib] = await Promise.all([startPostgres(), startPlayground()]);
    const pgSql = (db: string, sql: string) => spawnSync(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(pgServer!.port), '-U', 'postgres', '-d', db, '-c', sql], { encoding: 'utf8' });
    assert.equal(pgSql('postgres', 'CREATE DATABASE dev').status, 0);
    for (const sql of SCHEMA) {
      assert.equal(pgSql('dev', sql).status, 0, sql);
      const t: SpawnSyncReturns<string> = spawnSync(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(trib.port), '-U', 'root', '-d', 'dev', '-c', sql], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
    }
    for (const keys of SESSIONS) {
      const [got, want]: string[] = await Promise.all([interactive(trib.port, 'root', keys), interactive(pgServer.port, 'postgres', keys)]);
      assert.equal(got, want, `psql completion for ${JSON.stringify(keys)}`);
      assert.match(want, /dev=#/);
      if (process.env.SHOW_COMPLETION) process.stderr.write(`${got}\n`);
    }
  });
});
