// Users, passwords (SCRAM-SHA-256 and md5) and table privileges, across frontends sharing one meta.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { startTestCluster, type TestCluster } from './in-process-cluster.ts';

let cluster: TestCluster;
let root: pg.Client;
let scramPort: number;
let md5Port: number;

const connectTo = async (port: number, user: string, password?: string): Promise<pg.Client> => {
  const c = new pg.Client({ host: '127.0.0.1', port, user, database: 'dev', ...(password !== undefined ? { password } : {}) });
  c.on('error', () => undefined);
  await c.connect();
  return c;
};

before(async () => {
  cluster = await startTestCluster(); // trust
  scramPort = await cluster.addFrontend({ auth: 'scram-sha-256' });
  md5Port = await cluster.addFrontend({ auth: 'md5' });
  root = await cluster.client();
  await root.query('create table secret (id int primary key, v varchar)');
  await root.query("insert into secret values (1, 'a'), (2, 'b')");
  await root.query('flush');
});

after(async () => {
  await root?.end();
  await cluster?.close();
});

test('CREATE USER with a password; SCRAM-SHA-256 and md5 logins on other frontends', async () => {
  assert.equal((await root.query("create user alice with password 'wonder land'")).command, 'CREATE');
  await assert.rejects(root.query("create user alice with password 'x'"), (e: { code: string }) => e.code === '42710');
  const waitUser = async (port: number): Promise<pg.Client> => {
    for (let i = 0; ; i++) {
      try {
        return await connectTo(port, 'alice', 'wonder land');
      } catch (err) {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 50)); // the notification may still be on its way
      }
    }
  };
  const viaScram = await waitUser(scramPort);
  assert.deepEqual((await viaScram.query('select 1 as x')).rows, [{ x: 1 }]);
  await viaScram.end();
  const viaMd5 = await waitUser(md5Port);
  await viaMd5.end();
  const sql = postgres({ host: '127.0.0.1', port: scramPort, user: 'alice', password: 'wonder land', database: 'dev', max: 1 });
  assert.deepEqual([...(await sql`select ${5}::int as five`)], [{ five: 5 }]);
  await sql.end();
  await assert.rejects(connectTo(scramPort, 'alice', 'wrong'), (e: { code: string }) => e.code === '28P01');
  await assert.rejects(connectTo(md5Port, 'alice', 'wrong'), (e: { code: string }) => e.code === '28P01');
  await assert.rejects(connectTo(scramPort, 'nobody', 'x'), (e: { code: string }) => e.code === '28P01');
  await assert.rejects(connectTo(cluster.port, 'nobody'), (e: { code: string }) => e.code === '28000');
  await assert.rejects(connectTo(scramPort, 'root', ''), (e: { code: string }) => e.code === '28P01'); // no password set
});

test('ALTER USER changes the password; DROP USER removes the user', async () => {
  await root.query("create user bob password 'one'");
  await root.query("alter user bob with password 'two'");
  await new Promise((r) => setTimeout(r, 100));
  await assert.rejects(connectTo(scramPort, 'bob', 'one'), (e: { code: string }) => e.code === '28P01');
  const bob = await connectTo(scramPort, 'bob', 'two');
  await bob.query("alter user bob password 'three'"); // a user may change its own password
  await assert.rejects(bob.query("alter user alice password 'hijack'"), (e: { code: string }) => e.code === '42501');
  await assert.rejects(bob.query('create user eve'), (e: { code: string }) => e.code === '42501');
  await bob.end();
  assert.equal((await root.query('drop user bob')).command, 'DROP');
  await assert.rejects(root.query('drop user bob'), (e: { code: string }) => e.code === '42704');
  await root.query('drop user if exists bob');
  await new Promise((r) => setTimeout(r, 100));
  await assert.rejects(connectTo(scramPort, 'bob', 'three'), (e: { code: string }) => e.code === '28P01');
});

test('GRANT / REVOKE SELECT and INSERT are checked per statement (42501)', async () => {
  await root.query('create user carol');
  const carol = await connectTo(cluster.port, 'carol');
  try {
    await assert.rejects(carol.query('select * from secret'), (e: { code: string; message: string }) =>
      e.code === '42501' && e.message === 'permission denied for table secret');
    await root.query('grant select on secret to carol');
    assert.equal((await carol.query('select count(*)::int as n from secret')).rows[0].n, 2);
    assert.equal((await carol.query('select v from secret where id = $1', [2])).rows[0].v, 'b');
    await assert.rejects(carol.query("insert into secret values (3, 'c')"), (e: { code: string }) => e.code === '42501');
    await assert.rejects(carol.query('copy secret from stdin'), (e: { code: string }) => e.code === '42501');
    await root.query('grant insert on table secret to carol');
    await carol.query("insert into secret values (3, 'c')");
    await assert.rejects(carol.query('delete from secret'), (e: { code: string }) => e.code === '42501');
    await assert.rejects(carol.query('drop table secret'), (e: { code: string }) => e.code === '42501');
    await root.query('revoke select, insert on secret from carol');
    await assert.rejects(carol.query('select * from secret'), (e: { code: string }) => e.code === '42501');
    await assert.rejects(carol.query('copy (select * from secret) to stdout'), (e: { code: string }) => e.code === '42501');
    // Owners have every privilege on their own tables and may grant them.
    await carol.query('create table mine (k int primary key)');
    await carol.query('insert into mine values (1)');
    await carol.query('grant select on mine to alice');
  } finally {
    await carol.end();
  }
});

test('users and grants persist in meta', async () => {
  const { rows } = await root.query('show all');
  assert.ok(rows.length > 10);
  // A frontend started now learns users from meta's snapshot.
  const port = await cluster.addFrontend({ auth: 'scram-sha-256' });
  const alice = await connectTo(port, 'alice', 'wonder land');
  await alice.end();
});

test('TLS with a given certificate: SSLRequest is accepted, SCRAM runs inside TLS', { skip: !existsSync('/usr/bin/openssl') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const port = await cluster.addFrontend({ auth: 'scram-sha-256', tlsCert: cert, tlsKey: key });
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'alice', password: 'wonder land', database: 'dev', ssl: { rejectUnauthorized: false } });
  await c.connect();
  try {
    assert.equal((c as unknown as { connection: { stream: { encrypted?: boolean } } }).connection.stream.encrypted, true);
    assert.deepEqual((await c.query('select $1::int as x', [9])).rows, [{ x: 9 }]);
  } finally {
    await c.end();
  }
  // Without TLS configured, the SSLRequest is refused and a client requiring TLS fails.
  const plain = new pg.Client({ host: '127.0.0.1', port: cluster.port, user: 'root', database: 'dev', ssl: { rejectUnauthorized: false } });
  plain.on('error', () => undefined);
  await assert.rejects(plain.connect(), /does not support SSL/);
});
