import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnionExecutor } from './union.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

test('union passes chunks of every input and aligns barriers', async () => {
  const a = sourceOf(['integer'], [' i\n + 1', 1n, ' i\n + 2', 2n]);
  const b = sourceOf(['integer'], [1n, ' i\n + 3', 2n]);
  const out = await collect(new UnionExecutor(['integer'], [a, b]));
  assert.deepEqual(out.filter((l) => l.startsWith('barrier')), ['barrier 1', 'barrier 2']);
  const first = out.slice(0, out.indexOf('barrier 1'));
  assert.deepEqual(first, prettyLines(' i\n + 1'));
  const second = out.slice(out.indexOf('barrier 1') + 1, out.indexOf('barrier 2')).sort();
  assert.deepEqual(second, [...prettyLines(' i\n + 2'), ...prettyLines(' i\n + 3')].sort());
});
