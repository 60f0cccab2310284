import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SstableWriter } from './sstable-writer.ts';
import { SstableStore } from './sstable-reader.ts';
import { SstableIterator } from './sstable-iterator.ts';
import { MemoryObjectStore } from '../object-store/memory.ts';
import { FaultInjectingObjectStore, parseFaultSpec } from '../object-store/fault-injection.ts';
import type { StreamingUpload } from '../object-store/object-store.ts';
import { fullKey, userKey } from '../key/full-key.ts';
import { encodeValue } from '../key/value.ts';

const enc = new TextEncoder();
const key = (i: number) => fullKey(userKey(1, 0, enc.encode(`k${String(i).padStart(6, '0')}`)), 5n);
/** Incompressible values so sizes are predictable. */
function value(i: number): Uint8Array {
  let x = (i + 1) * 2654435761;
  return encodeValue(Uint8Array.from({ length: 200 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  }));
}

test('streams SSTs to the store in parts, never holding a whole SST, and they read back', async () => {
  const memory = new MemoryObjectStore();
  let largestWrite = 0;
  let writes = 0;
  // Observe the pieces each upload receives.
  const observed = {
    ...memory,
    put: memory.put.bind(memory), get: memory.get.bind(memory), getRange: memory.getRange.bind(memory), delete: memory.delete.bind(memory), list: memory.list.bind(memory),
    upload(path: string): StreamingUpload {
      const inner = memory.upload(path);
      return {
        write: async (d) => {
          largestWrite = Math.max(largestWrite, d.length);
          writes++;
          return inner.write(d);
        },
        finish: () => inner.finish(),
        abort: () => inner.abort(),
      };
    },
  };
  let nextId = 1;
  const objects: string[] = [];
  const w = new SstableWriter({
    objectStore: observed, clusterPrefix: 'c', allocateSstIds: async (n) => Array.from({ length: n }, () => nextId++),
    targetFileSizeBytes: 256 * 1024, blockSizeBytes: 4096, uploadPartBytes: 32 * 1024, onObject: (p) => objects.push(p),
  });
  const N = 5000;
  for (let i = 0; i < N; i++) {
    const p = w.add(key(i), value(i));
    if (p) await p;
  }
  const outputs = await w.finish();
  assert.ok(outputs.length >= 3, `split into several SSTs (${outputs.length})`);
  assert.deepEqual(objects, outputs.map((o) => o.objectPath), 'every object announced before upload, in order');
  assert.ok(writes > outputs.length * 4, `each SST went in many pieces (${writes})`);
  assert.ok(largestWrite < 32 * 1024 + 3 * 4096 + 64 * 1024, `no piece near a whole SST (largest ${largestWrite})`);
  const sstables = new SstableStore(memory);
  let n = 0;
  for (const [i, info] of outputs.entries()) {
    assert.equal((await memory.get(info.objectPath)).length, info.fileSize);
    if (i > 0) assert.ok(info.smallestKey > outputs[i - 1].largestKey, 'outputs in key order, not overlapping');
    const it = new SstableIterator(sstables, info);
    await it.seek(new Uint8Array(0));
    while (it.valid()) {
      assert.deepEqual(it.key(), key(n));
      assert.deepEqual(it.value(), value(n));
      n++;
      const p = it.next();
      if (p) await p;
    }
  }
  assert.equal(n, N);
});

test('a failed part upload aborts: no object is left behind', async () => {
  const memory = new MemoryObjectStore();
  const store = new FaultInjectingObjectStore(memory, parseFaultSpec('upload:fail=0.05,seed=3'));
  let nextId = 1;
  const w = new SstableWriter({
    objectStore: store, clusterPrefix: 'c', allocateSstIds: async (n) => Array.from({ length: n }, () => nextId++),
    targetFileSizeBytes: 64 * 1024, blockSizeBytes: 4096, uploadPartBytes: 8 * 1024,
  });
  await assert.rejects(async () => {
    for (let i = 0; i < 20_000; i++) {
      const p = w.add(key(i), value(i));
      if (p) await p;
    }
    await w.finish();
  }, /upload failed/);
  await w.abort();
  assert.ok(store.injected.upload > 0);
  assert.deepEqual(await memory.list('c/'), [], 'finished outputs deleted, the open upload aborted');
});
