import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import pg from 'pg';
import { DbError, SqlState } from '@tributary/common';
import { parseStatement } from '../parser/index.ts';
import { startPgServer, type PgServer, type SessionHandler, type StatementResult } from './index.ts';

const run = promisify(execFile);
const INT4 = { typeOid: 23, typeLen: 4 };
const TEXT = { typeOid: 25, typeLen: -1 };

const events = { aborted: 0, closed: 0 };

/** A toy session: a handful of fixed statements, anything else goes through the parser. */
function toySession(): SessionHandler {
  return {
    async execute(sql: string, signal: AbortSignal): Promise<StatementResult> {
      const lower = sql.toLowerCase();
      if (lower === 'select 1') return { kind: 'rows', fields: [{ name: '?column?', ...INT4 }], rows: [['1']], tag: 'SELECT' };
      if (lower === 'select null') return { kind: 'rows', fields: [{ name: 'n', ...TEXT }], rows: [[null], ['x']], tag: 'SELECT' };
      const many = /^select many (\d+)$/.exec(lower);
      if (many) return { kind: 'rows', fields: [{ name: 'i', ...INT4 }, { name: 's', ...TEXT }], rows: manyRows(Number(many[1])), tag: 'SELECT' };
      if (lower === 'fail') throw new DbError(SqlState.UndefinedTable, 'table "nope" does not exist', { hint: 'create it' });
      if (lower === 'boom') throw new Error('kaboom');
      if (lower === 'notice') return { kind: 'command', tag: 'CREATE_TABLE', notices: ['hello notice'] };
      if (lower === 'nothing') return { kind: 'empty' };
      if (lower === 'sleep') {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        events.aborted++;
        throw signal.reason;
      }
      const parsed = parseStatement(sql);
      return { kind: 'command', tag: parsed.kind === 'ast' ? parsed.ast.type.toUpperCase() : parsed.kind.toUpperCase() };
    },
    close() {
      events.closed++;
    },
  };
}

async function* manyRows(n: number): AsyncIterable<(string | null)[]> {
  for (let i = 0; i < n; i++) yield [String(i), 'x'.repeat(100)];
}

let server: PgServer;
before(async () => {
  server = await startPgServer({ host: '127.0.0.1', port: 0, createSession: () => toySession() });
});
after(async () => {
  await server.close();
});

async function psql(sql: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'root', '-d', 'dev', '-X', '-A', '-t', '-c', sql];
  try {
    const { stdout, stderr } = await run('/usr/bin/psql', args, { timeout: 10_000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'root', database: 'dev' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

test('psql: one statement', async () => {
  const r = await psql('select 1');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1');
});

test('psql: several statements and an error in the middle', async () => {
  const ok = await psql('select 1; select null; notice');
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(ok.stdout.trim().split('\n'), ['1', '', 'x', 'CREATE_TABLE']);
  assert.match(ok.stderr, /NOTICE:\s+hello notice/);

  const bad = await psql('select 1; fail; select 1');
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout.trim(), '1');
  assert.match(bad.stderr, /ERROR:\s+table "nope" does not exist/);
  assert.match(bad.stderr, /HINT:\s+create it/);
});

test('psql: syntax error reports the position', async () => {
  const r = await psql('select 1;  selec 1 frm');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR:\s+syntax error at or near "1"/);
  assert.match(r.stderr, /LINE 1: select 1;  selec 1 frm\n\s+\^/);
  const caretLine = r.stderr.split('\n').find((l) => l.trim() === '^')!;
  assert.equal(caretLine.indexOf('^'), 'LINE 1: select 1;  selec '.length);
});

test('pg: simple query, nulls, command tags, empty query', async () => {
  await withClient(async (c) => {
    const r = await c.query('select 1');
    assert.deepEqual(r.rows, [{ '?column?': 1 }]);
    assert.equal(r.command, 'SELECT');
    assert.equal(r.rowCount, 1);
    const n = await c.query('select null');
    assert.deepEqual(n.rows, [{ n: null }, { n: 'x' }]);
    const created = await c.query('create table t (a int primary key, b varchar)');
    assert.equal(created.command, 'CREATE');
    const empty = await c.query('  ;  -- nothing here\n');
    assert.deepEqual(empty.rows, []);
    const nothing = await c.query('nothing');
    assert.deepEqual(nothing.rows, []);
  });
});

test('pg: Terminate closes the session', async () => {
  const closedBefore = events.closed;
  await withClient(async (c) => c.query('select 1'));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(events.closed, closedBefore + 1);
});

test('pg: error codes, and the session survives errors', async () => {
  await withClient(async (c) => {
    await assert.rejects(c.query('fail'), (e: { code: string; hint: string }) => e.code === '42P01' && e.hint === 'create it');
    await assert.rejects(c.query('boom'), (e: { code: string; message: string }) => e.code === 'XX000' && e.message === 'kaboom');
    await assert.rejects(c.query('garbage in here'), (e: { code: string; message: string; position: string }) =>
      e.code === '42601' && e.message === 'syntax error at or near "in"' && e.position === '9');
    assert.deepEqual((await c.query('select 1')).rows, [{ '?column?': 1 }]);
  });
});

test('pg: extended protocol is refused with 0A000, then the connection recovers', async () => {
  await withClient(async (c) => {
    await assert.rejects(c.query('select $1::int', [1]), (e: { code: string }) => e.code === '0A000');
    await assert.rejects(c.query({ name: 'p1', text: 'select 1' }), (e: { code: string }) => e.code === '0A000');
    assert.deepEqual((await c.query('select 1')).rows, [{ '?column?': 1 }]);
  });
});

test('pg: a large result streams with backpressure', async () => {
  await withClient(async (c) => {
    const r = await c.query('select many 50000');
    assert.equal(r.rowCount, 50000);
    assert.equal(r.rows[49999].i, 49999);
  });
});

test('cancel request aborts the running statement', async () => {
  await withClient(async (c) => {
    const pending = c.query('sleep');
    await new Promise((r) => setTimeout(r, 50));
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    const cancel = Buffer.alloc(16);
    cancel.writeInt32BE(16, 0);
    cancel.writeInt32BE(80877102, 4);
    cancel.writeInt32BE(processID, 8);
    cancel.writeInt32BE(secretKey, 12);
    const s = connect(server.port, '127.0.0.1');
    s.on('error', () => undefined);
    s.end(cancel);
    await assert.rejects(pending, (e: { code: string }) => e.code === '57014');
    assert.deepEqual((await c.query('select 1')).rows, [{ '?column?': 1 }]);
  });
});

function startupMessage(params: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(params).flatMap(([k, v]) => [Buffer.from(`${k}\0${v}\0`)]), Buffer.from([0])]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

function queryMessage(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`);
  const head = Buffer.alloc(5);
  head[0] = 0x51;
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

/** Writes `data` on a raw socket and resolves with everything received until the server closes or `waitMs`. */
function rawExchange(data: Buffer[], waitMs = 150): Promise<{ received: Buffer; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s: Socket = connect(server.port, '127.0.0.1');
    let closedByServer = false;
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => undefined);
    s.on('end', () => (closedByServer = true));
    s.on('connect', () => {
      for (const d of data) s.write(d);
    });
    const timer = setTimeout(() => s.destroy(), waitMs);
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), closedByServer });
    });
  });
}

test('client disconnect mid-query aborts the statement', async () => {
  const before = events.aborted;
  await rawExchange([startupMessage({ user: 'root', database: 'dev' }), queryMessage('sleep')], 100);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(events.aborted, before + 1);
});

test('protocol errors close only that connection', async () => {
  const unknownType = await rawExchange([startupMessage({ user: 'root' }), Buffer.from([0x7a, 0, 0, 0, 4])]);
  assert.equal(unknownType.closedByServer, true);
  assert.match(unknownType.received.toString('latin1'), /08P01/);

  const hugeLength = Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]);
  const huge = await rawExchange([startupMessage({ user: 'root' }), hugeLength]);
  assert.equal(huge.closedByServer, true);
  assert.match(huge.received.toString('latin1'), /invalid message length/);

  const noUser = await rawExchange([startupMessage({ database: 'dev' })]);
  assert.match(noUser.received.toString('latin1'), /28000/);

  const ssl = await rawExchange([Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f])]);
  assert.equal(ssl.received.toString('latin1'), 'N');
});

test('fuzz: random and truncated byte streams never hurt the server', async () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => rand(256)));
  const startup = startupMessage({ user: 'root', database: 'dev' });
  const valid = Buffer.concat([startup, queryMessage('select 1; fail; select null')]);
  const cases: Buffer[][] = [];
  for (let i = 0; i < 40; i++) cases.push([randomBytes(1 + rand(200))]);
  for (let i = 0; i < 40; i++) cases.push([valid.subarray(0, rand(valid.length))]);
  for (let i = 0; i < 40; i++) cases.push([startup, randomBytes(1 + rand(100))]);
  for (let i = 0; i < 40; i++) {
    const mutated = Buffer.from(valid);
    for (let k = 0; k < 3; k++) mutated[rand(mutated.length)] = rand(256);
    cases.push([mutated]);
  }
  for (let i = 0; i < cases.length; i += 20) {
    await Promise.all(cases.slice(i, i + 20).map((c) => rawExchange(c, 60)));
  }
  const r = await psql('select 1');
  assert.equal(r.stdout.trim(), '1');
  await withClient(async (c) => assert.deepEqual((await c.query('select 1')).rows, [{ '?column?': 1 }]));
});
