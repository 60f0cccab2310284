import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HummockStateStore, MemoryObjectStore, applyVersionDelta, emptyVersion, userKey } from '../src/index.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

test('an epoch with more writes than the shared buffer limit is flushed early and commits whole', async () => {
  const objectStore = new MemoryObjectStore();
  let nextId = 1;
  let flushes = 0;
  const store = new HummockStateStore({
    objectStore,
    clusterPrefix: 'c',
    allocateSstIds: async (n) => Array.from({ length: n }, () => nextId++),
    sharedBufferLimitBytes: 64 * 1024,
    logger: { debug() {}, info: (_o, msg) => void (msg?.includes('flushed early') && flushes++) },
  });
  const key = (i: number) => userKey(1 + (i % 4), 0, enc.encode(`k${String(i).padStart(6, '0')}`));
  const value = (e: bigint, i: number) => enc.encode(`e${e}-${i}-${'x'.repeat(100)}`);
  let peak = 0;
  for (const epoch of [10n, 20n]) {
    for (let batch = 0; batch < 40; batch++) {
      const kvs: [Uint8Array, Uint8Array][] = [];
      for (let i = batch * 100; i < batch * 100 + 100; i++) kvs.push([key(i), value(epoch, i)]);
      store.ingestBatch(epoch, kvs);
      peak = Math.max(peak, store.bufferSizeBytes());
      await new Promise((r) => setImmediate(r));
    }
  }
  assert.ok(flushes > 0, 'flushed early');
  assert.ok(peak < 4000 * 130, `buffer stayed bounded (peak ${peak})`);
  // Uncommitted reads see flushed data at both epochs.
  assert.equal(dec.decode((await store.get(key(5), 10n))!), dec.decode(value(10n, 5)));
  assert.equal(dec.decode((await store.get(key(3999), 20n))!), dec.decode(value(20n, 3999)));
  const ssts10 = await store.sync(10n);
  let v = applyVersionDelta(emptyVersion(), { id: 1, prevId: 0, maxCommittedEpoch: 10n, safeEpoch: 0n, newL0SubLevel: { id: 1, ssts: ssts10 } });
  store.updateVersion(v);
  const ssts20 = await store.sync(20n);
  assert.equal(ssts20.some((s) => ssts10.some((t) => t.id === s.id)), false, 'each local SST reported once');
  v = applyVersionDelta(v, { id: 2, prevId: 1, maxCommittedEpoch: 20n, safeEpoch: 0n, newL0SubLevel: { id: 2, ssts: ssts20 } });
  store.updateVersion(v);
  assert.equal(store.localSstBytes(), 0);
  let n = 0;
  for await (const [, row] of store.committedReader().iter(userKey(0, 0, new Uint8Array()), null, 20n)) {
    assert.ok(dec.decode(row).startsWith('e20-'));
    n++;
  }
  assert.equal(n, 4000);
  let m = 0;
  for await (const [, row] of store.committedReader().iter(userKey(0, 0, new Uint8Array()), null, 10n)) {
    assert.ok(dec.decode(row).startsWith('e10-'));
    m++;
  }
  assert.equal(m, 4000);
});
