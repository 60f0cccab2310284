import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru-cache.ts';

test('lru cache stays within its byte budget and keeps recently used entries', () => {
  const c = new LruCache<number, string>(100, (v) => v.length);
  for (let i = 0; i < 10; i++) c.set(i, 'x'.repeat(10));
  assert.equal(c.sizeBytes(), 100);
  c.get(0); // referenced: survives the next eviction
  c.set(10, 'y'.repeat(10));
  assert.ok(c.sizeBytes() <= 100);
  assert.equal(c.get(0), 'x'.repeat(10));
  assert.equal(c.get(1), undefined);
  c.set(11, 'z'.repeat(1000)); // larger than the cache: not cached
  assert.equal(c.get(11), undefined);
  assert.ok(c.sizeBytes() <= 100);
});

test('getOrLoad shares one load between concurrent misses and does not cache failures', async () => {
  const c = new LruCache<string, number>(1000, () => 1);
  let loads = 0;
  const load = async () => {
    loads++;
    return 42;
  };
  assert.deepEqual(await Promise.all([c.getOrLoad('a', load), c.getOrLoad('a', load)]), [42, 42]);
  assert.equal(loads, 1);
  await assert.rejects(c.getOrLoad('b', async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await c.getOrLoad('b', load), 42);
});
