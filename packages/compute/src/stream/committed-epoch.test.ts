import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommittedEpoch } from './committed-epoch.ts';

test('waiters resolve once their epoch is committed, in any order', async () => {
  const c = new CommittedEpoch();
  const seen: string[] = [];
  const a = c.wait(20n).then(() => seen.push('a'));
  const b = c.wait(10n).then(() => seen.push('b'));
  c.advance(15n);
  await b;
  assert.deepEqual(seen, ['b']);
  c.advance(12n); // older versions never move it back
  assert.equal(c.current, 15n);
  c.advance(20n);
  await a;
  assert.deepEqual(seen, ['b', 'a']);
  await c.wait(5n); // already committed
});

test('reset rejects waiters', async () => {
  const c = new CommittedEpoch();
  const w = c.wait(1n);
  c.reset();
  await assert.rejects(w, /reset/);
});
