import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockBuilder } from './block-builder.ts';
import { Block } from './block.ts';
import { BlockIterator } from './block-iterator.ts';
import { RESTART_INTERVAL } from './format.ts';

const enc = new TextEncoder();
const key = (i: number) => enc.encode(`key-${String(i).padStart(6, '0')}`);
const val = (i: number) => enc.encode(`value ${i}`.repeat(i % 3));

function build(n: number): Block {
  const b = new BlockBuilder();
  for (let i = 0; i < n; i++) b.add(key(i * 2), val(i));
  return Block.decode(b.finish(), 'test-object', 0);
}

test('block round trip with restart points', () => {
  const n = 100;
  const block = build(n);
  assert.equal(block.restarts.length, Math.ceil(n / RESTART_INTERVAL));
  const it = new BlockIterator(block);
  it.seekToFirst();
  for (let i = 0; i < n; i++) {
    assert.ok(it.valid());
    assert.deepEqual(it.key(), key(i * 2));
    assert.deepEqual(it.value(), val(i));
    it.next();
  }
  assert.equal(it.valid(), false);
});

test('block seek lands on the first key >= target', () => {
  const n = 100;
  const block = build(n);
  const it = new BlockIterator(block);
  for (let t = -1; t < 2 * n + 1; t++) {
    it.seek(t < 0 ? new Uint8Array(0) : key(t));
    const want = t < 0 ? 0 : Math.ceil(t / 2);
    if (want >= n) {
      assert.equal(it.valid(), false, `seek ${t}`);
    } else {
      assert.ok(it.valid(), `seek ${t}`);
      assert.deepEqual(it.key(), key(want * 2));
    }
  }
  // Keys stay valid after next().
  it.seek(key(10));
  const k = it.key();
  it.next();
  assert.deepEqual(k, key(10));
});

test('block single entry and checksum failure names the object', () => {
  const b = new BlockBuilder();
  b.add(enc.encode('a'), enc.encode('1'));
  const bytes = b.finish();
  const it = new BlockIterator(Block.decode(bytes, 'obj', 0));
  it.seekToFirst();
  assert.deepEqual(it.key(), enc.encode('a'));
  bytes[0] ^= 0xff;
  assert.throws(() => Block.decode(bytes, 'sst/7.data', 3), (e: Error & { code?: string }) => e.code === 'XX001' && /sst\/7\.data/.test(e.message));
});
