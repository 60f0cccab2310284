// A data error inside a view (division by zero) neither fails the write nor triggers a recovery:
// the value is NULL, the error is counted and shown by SHOW STREAM ERRORS and /metrics, and a view
// created later over the bad row backfills normally.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, freePort, rows, startPlayground, withLogs, type Playground } from '../harness/cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stream expression errors', () => {
  let p: Playground | null = null;
  after(async () => p?.kill9());

  it('make the value NULL, are reported, and never trigger a recovery', { timeout: 90_000 }, async () => {
    const dashboard = await freePort();
    p = await startPlayground({ extraArgs: ['--dashboard-listen', `127.0.0.1:${dashboard}`] });
    await withLogs(() => p!.procs, async () => {
      const c = await connect(p!.port);
      await c.query('CREATE TABLE sx (id INT PRIMARY KEY, a INT, b INT)');
      await c.query('CREATE MATERIALIZED VIEW sx_q AS SELECT id, a / b AS q FROM sx');
      await c.query('INSERT INTO sx VALUES (1, 10, 2), (2, 1, 0), (3, 4, 0)');
      await c.query('INSERT INTO sx VALUES (4, 8, 0)');
      // A view created over rows that fail: its backfill meets the errors too.
      await c.query('CREATE MATERIALIZED VIEW sx_f AS SELECT id FROM sx WHERE 100 / b > 10');
      await c.query('FLUSH');
      assert.deepEqual(await rows(c, 'SELECT id, q FROM sx_q ORDER BY id'), [['1', '5'], ['2', null], ['3', null], ['4', null]]);
      assert.deepEqual(await rows(c, 'SELECT id FROM sx_f ORDER BY id'), [['1']]);

      let errors: Array<Array<string | null>> = [];
      for (let i = 0; i < 50; i++) {
        errors = await rows(c, 'SHOW STREAM ERRORS');
        const total = (rel: string) => errors.filter((r) => r[0] === rel).reduce((n, r) => n + Number(r[6]), 0);
        if (total('sx_q') >= 3 && total('sx_f') >= 3) break;
        await sleep(200);
      }
      const q = errors.filter((r) => r[0] === 'sx_q');
      assert.ok(q.length >= 1, `SHOW STREAM ERRORS lists sx_q: ${JSON.stringify(errors)}`);
      assert.deepEqual([...new Set(q.map((r) => [r[2], r[4], r[5]].join('|')))], ['Project|22012|division by zero']);
      assert.equal(q.reduce((n, r) => n + Number(r[6]), 0), 3, 'one error per bad row');
      assert.equal(errors.filter((r) => r[0] === 'sx_f').reduce((n, r) => n + Number(r[6]), 0), 3, 'the backfill met each bad row once');
      assert.deepEqual((await rows(c, 'SHOW RECOVERIES')).filter((r) => r[1] !== 'meta started'), [], 'no recovery');

      const metrics = await (await fetch(`http://127.0.0.1:${dashboard}/metrics`)).text();
      assert.match(metrics, /^tributary_stream_expression_errors_total\{relation="sx_q",code="22012",database="dev",schema="public"\} 3$/m);

      // The view keeps working.
      await c.query('UPDATE sx SET b = 1 WHERE id = 2');
      await c.query('FLUSH');
      assert.deepEqual(await rows(c, 'SELECT id, q FROM sx_q ORDER BY id'), [['1', '5'], ['2', '1'], ['3', null], ['4', null]]);

      // A dropped view's errors are no longer listed.
      await c.query('DROP MATERIALIZED VIEW sx_q');
      assert.deepEqual((await rows(c, 'SHOW STREAM ERRORS')).filter((r) => r[0] === 'sx_q' || /^\d+$/.test(r[0] ?? '')), []);
      assert.doesNotMatch(await (await fetch(`http://127.0.0.1:${dashboard}/metrics`)).text(), /relation="sx_q"/);
      await c.end();
    });
  });
});
