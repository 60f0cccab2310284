// Hostile clients: garbage bytes, abrupt disconnects, random SQL. The server must survive all of it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startPlayground, connect, rows, dumpLogs, type Playground } from '../harness/cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `chunks` on a raw socket, waits a little for the server's answer, then closes. */
function rawSend(port: number, chunks: Buffer[], opts: { destroyAfterMs?: number } = {}): Promise<Buffer> {
  return new Promise((res) => {
    const s = net.connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.on('error', () => {});
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
      setTimeout(() => { s.destroy(); res(Buffer.concat(got)); }, opts.destroyAfterMs ?? 150);
    });
    s.on('close', () => res(Buffer.concat(got)));
  });
}

function startup(): Buffer {
  const params = Buffer.from('user\0root\0database\0dev\0\0');
  const b = Buffer.alloc(8 + params.length);
  b.writeInt32BE(b.length, 0);
  b.writeInt32BE(196608, 4);
  params.copy(b, 8);
  return b;
}

function msg(type: string, body: Buffer): Buffer {
  const b = Buffer.alloc(5 + body.length);
  b.write(type, 0, 'ascii');
  b.writeInt32BE(4 + body.length, 1);
  body.copy(b, 5);
  return b;
}

/** Deterministic PRNG so failures are reproducible. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('bad input', { timeout: 60_000 }, () => {
  let pg: Playground | undefined;
  let failed = false;
  before(async () => {
    pg = await startPlayground();
    const c = await connect(pg.port);
    await c.query('create table bad_t (id int primary key, v varchar)');
    await c.query("insert into bad_t values (1, 'a'), (2, 'b')");
    await c.query('flush');
    await c.end();
  });
  after(async () => {
    if (failed && pg) dumpLogs(pg.procs);
    await pg?.stop();
  });
  const guard = (fn: () => Promise<void>) => async () => {
    try { await fn(); } catch (e) { failed = true; throw e; }
  };
  const alive = async () => {
    assert.equal(pg!.proc.child.exitCode, null, 'server process exited');
    assert.equal(pg!.proc.child.signalCode, null, 'server process was killed');
    const c = await connect(pg!.port);
    try {
      assert.deepEqual(await rows(c, 'select id, v from bad_t order by id'), [['1', 'a'], ['2', 'b']]);
    } finally {
      await c.end();
    }
  };

  it('survives random bytes on the pg port', guard(async () => {
    const rnd = mulberry32(42);
    const cases: Buffer[][] = [
      [randomBytes(1)],
      [randomBytes(7)],
      [randomBytes(4096)],
      [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
      // absurd startup length
      [Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0])],
      // negative / tiny lengths
      [Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 3, 0, 0])],
      [Buffer.from([0, 0, 0, 2])],
      // SSL request followed by garbage
      [Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]), randomBytes(64)],
      // cancel request with a made-up key
      [Buffer.from([0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 1, 0, 0, 0, 2])],
      // valid startup then garbage messages
      [startup(), randomBytes(256)],
      [startup(), msg('Q', Buffer.from('select 1'))], // missing NUL terminator
      [startup(), Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff])], // Query with a 2 GB length
      [startup(), msg('Z', Buffer.alloc(0))], // unknown message type
      [startup(), msg('P', randomBytes(40))], // garbage Parse
      [startup(), msg('B', randomBytes(40))], // garbage Bind
      [startup(), msg('Q', Buffer.from('\0'))], // empty query
    ];
    for (let i = 0; i < 20; i++) cases.push([randomBytes(1 + Math.floor(rnd() * 300))]);
    // A session opened before the fuzzing keeps working throughout it (other sessions are unaffected).
    const bystander = await connect(pg!.port);
    let bystanderQueries = 0;
    let fuzzing = true;
    const bystanding = (async () => {
      while (fuzzing) {
        assert.deepEqual(await rows(bystander, 'select id, v from bad_t order by id'), [['1', 'a'], ['2', 'b']]);
        bystanderQueries++;
        await sleep(10);
      }
    })();
    try {
      for (const chunks of cases) await rawSend(pg!.port, chunks);
      // many concurrent garbage connections
      await Promise.all(Array.from({ length: 30 }, () => rawSend(pg!.port, [startup(), randomBytes(100)], { destroyAfterMs: 50 })));
    } finally {
      fuzzing = false;
      await bystanding;
    }
    assert.ok(bystanderQueries > 5, `the open session was served during the fuzzing (${bystanderQueries} queries)`);
    await bystander.end();
    await sleep(200);
    await alive();
  }));

  it('survives clients that disconnect mid-query', guard(async () => {
    // raw: startup + query, then hang up before reading anything
    for (const q of ['select * from bad_t', 'flush', "insert into bad_t values (100, 'gone')", 'select count(*) from bad_t']) {
      await rawSend(pg!.port, [startup(), msg('Q', Buffer.from(q + '\0'))], { destroyAfterMs: 0 });
      await rawSend(pg!.port, [startup(), msg('Q', Buffer.from(q + '\0'))], { destroyAfterMs: 5 });
    }
    // pg client: destroy the socket while a FLUSH is pending
    for (let i = 0; i < 5; i++) {
      const c = await connect(pg!.port);
      const p = c.query('flush').catch(() => {});
      await sleep(i * 20);
      (c as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      await p;
    }
    await sleep(1500);
    const c = await connect(pg!.port);
    await c.query('delete from bad_t where id = 100');
    await c.query('flush');
    await c.end();
    await alive();
  }));

  it('200 random garbage SQL strings get errors, never a crash', guard(async () => {
    const rnd = mulberry32(7);
    const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)];
    const tokens = [
      'select', 'from', 'where', 'insert', 'into', 'values', 'update', 'set', 'delete', 'create', 'table', 'materialized', 'view',
      'drop', 'cascade', 'group', 'by', 'order', 'limit', 'as', 'and', 'or', 'not', 'null', 'is', 'count(*)', 'sum(', 'min(', 'avg(',
      'bad_t', 'id', 'v', 'nope', '(', ')', ',', ';', '*', '+', '-', '/', '%', '=', '<>', '<=', '>', '::', '.', "'", "'x'", '"', '"q"',
      '1', '0', '-1', '2147483648', '99999999999999999999999999', '1.5', '1e5', 'true', 'false', 'int', 'varchar', 'numeric', 'timestamp',
      'primary', 'key', 'explain', 'show', 'tables', 'flush', '$1', '--', '/*', '*/', '\\', '\u00e9', '\u{1F600}', '\t', '\n', 'E\'\\x\'',
    ];
    const statements: string[] = [];
    for (let i = 0; i < 200; i++) {
      const kind = rnd();
      if (kind < 0.1) {
        // raw printable noise
        statements.push(Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join(''));
      } else {
        const n = 1 + Math.floor(rnd() * 14);
        statements.push(Array.from({ length: n }, () => pick(tokens)).join(' '));
      }
    }
    // a few structured near-misses too
    statements.push('select', 'select (', 'select 1 +', "select 'unterminated", 'select "unterminated', 'create table', 'insert into bad_t values',
      'select ((((((((((((((((((((1))))))))))))))))))))', `select ${'1+'.repeat(500)}1`, 'select 1/0', 'select 2147483647 + 1',
      "insert into bad_t values (1, 'dup-ish')", "select 'a' || ");
    const c = await connect(pg!.port);
    const outcome = { ok: 0, err: 0 };
    const noCode: string[] = [];
    const internal: string[] = [];
    try {
      for (const sql of statements) {
        if (/\b(drop|delete|update|insert|create)\b/i.test(sql) && /\bbad_t\b/.test(sql)) continue; // keep the fixture intact
        try {
          await c.query({ text: sql });
          outcome.ok++;
        } catch (e: any) {
          outcome.err++;
          if (!e.code) noCode.push(`${JSON.stringify(sql)} -> ${e.message}`);
          else if (e.code === 'XX000') internal.push(`${JSON.stringify(sql)} -> ${e.message}`);
          if (/Connection terminated|ECONNRESET|not queryable/.test(String(e.message))) throw new Error(`connection lost on ${JSON.stringify(sql)}: ${e.message}`);
        }
      }
      assert.deepEqual(await rows(c, 'select 1'), [['1']]);
    } finally {
      await c.end().catch(() => {});
    }
    assert.ok(outcome.err > 150, `expected most garbage to fail: ${JSON.stringify(outcome)}`);
    assert.deepEqual(noCode, [], 'every error must carry a SQLSTATE');
    assert.deepEqual(internal, [], 'garbage SQL must not cause internal errors (XX000)');
    // clean up anything random DDL created, then check the fixture
    const c2 = await connect(pg!.port);
    for (const [name] of await rows(c2, 'show materialized views')) await c2.query(`drop materialized view if exists "${name}" cascade`).catch(() => {});
    await c2.end();
    await alive();
  }));
});
