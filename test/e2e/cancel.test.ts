// Cancelling a long batch SELECT: psql's Ctrl-C (SIGINT makes psql send a CancelRequest) and
// postgres.js's query.cancel() stop a CPU-heavy join with 57014, and the server and other sessions
// go on. (A batch query gives the event loop turns, so the cancel request is read mid-query.)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import postgres from 'postgres';
import { PSQL, connect, rows, startPlayground, withLogs, type Playground } from '../harness/cluster.ts';

const ROWS = 6000;
/** 36M candidate pairs: tens of seconds of work, so a cancel always lands mid-query. */
const LONG_QUERY = 'SELECT count(*) FROM cx a, cx b WHERE a.v + b.v > 3';

describe('cancel a running query', () => {
  let p: Playground | null = null;
  after(async () => p?.kill9());

  it('psql Ctrl-C and postgres.js cancel() stop a long join with 57014', { timeout: 120_000 }, async () => {
    p = await startPlayground();
    await withLogs(() => p!.procs, async () => {
      const c = await connect(p!.port);
      await c.query('CREATE TABLE cx (id INT PRIMARY KEY, v INT)');
      await c.query(`INSERT INTO cx VALUES ${Array.from({ length: ROWS }, (_, i) => `(${i}, ${i % 7})`).join(', ')}`);

      // psql: SIGINT while the query runs.
      const proc = spawn(PSQL, ['-X', '-h', '127.0.0.1', '-p', String(p!.port), '-U', 'root', '-d', 'dev', '-c', LONG_QUERY], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (d) => (out += d));
      proc.stderr.on('data', (d) => (out += d));
      // Meanwhile another session is served.
      await new Promise((r) => setTimeout(r, 700));
      assert.deepEqual(await rows(c, 'SELECT count(*) FROM cx'), [[String(ROWS)]]);
      proc.kill('SIGINT');
      const code = await new Promise<number | null>((r) => proc.on('exit', (n) => r(n)));
      assert.match(out, /Cancel request sent\nERROR: {2}canceling statement due to user request/);
      assert.equal(code, 1);

      // postgres.js: cancel() on a pending query (it sends the CancelRequest).
      const sql = postgres({ host: '127.0.0.1', port: p!.port, user: 'root', database: 'dev', max: 1 });
      const q = sql.unsafe(LONG_QUERY);
      const settled = q.then(() => 'finished', (e: { code?: string }) => e.code);
      await new Promise((r) => setTimeout(r, 500));
      q.cancel();
      assert.equal(await settled, '57014');
      // The connection goes on.
      assert.deepEqual([...(await sql.unsafe('SELECT 1 AS one'))], [{ one: 1 }]);
      await sql.end();
      await c.end();
    });
  });
});
