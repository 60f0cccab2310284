// Product bugs found while writing the suites. Each case is marked `todo` until fixed;
// remove the `todo` once the product behaves like PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayground, connect, type Playground } from '../harness/cluster.ts';
import type pg from 'pg';

describe('known product bugs', { timeout: 60_000 }, () => {
  let p: Playground | undefined;
  let c: pg.Client | undefined;
  before(async () => { p = await startPlayground(); c = await connect(p.port); });
  after(async () => { await c?.end().catch(() => {}); await p?.stop(); });

  // Was a bug: exponent literals were lexed as a number followed by an alias (`select 1e10` gave column "e10" = 1).
  it('numeric literals with an exponent (select 1e10, 1.5e3)', async () => {
    const r = await c!.query({ text: 'select 1e10 as a, 1.5e3 as b, 2E-2 as c', rowMode: 'array' });
    assert.deepEqual(r.fields.map((f) => f.name), ['a', 'b', 'c']);
    assert.deepEqual(r.rows, [['10000000000', '1500', '0.02']]);
  });
});
