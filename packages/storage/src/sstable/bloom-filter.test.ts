import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bloomMayContain, buildBloomFilter, hash32 } from './bloom-filter.ts';

const enc = new TextEncoder();

test('bloom filter has no false negatives and few false positives', () => {
  const n = 5000;
  const hashes = Array.from({ length: n }, (_, i) => hash32(enc.encode(`present-${i}`)));
  const filter = buildBloomFilter(hashes, 10);
  for (let i = 0; i < n; i++) assert.ok(bloomMayContain(filter, hash32(enc.encode(`present-${i}`))));
  let fp = 0;
  for (let i = 0; i < n; i++) if (bloomMayContain(filter, hash32(enc.encode(`absent-${i}`)))) fp++;
  assert.ok(fp / n < 0.03, `false positive rate ${fp / n}`);
});

test('an empty filter excludes every key; a missing filter excludes none', () => {
  const filter = buildBloomFilter([], 10);
  assert.equal(bloomMayContain(filter, hash32(enc.encode('x'))), false);
  assert.equal(bloomMayContain(new Uint8Array(0), 123), true);
});
