import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SstableBuilder } from './sstable-builder.ts';
import { SstableStore } from './sstable-reader.ts';
import { SstableIterator } from './sstable-iterator.ts';
import { MemoryObjectStore } from '../object-store/memory.ts';
import { fullKey, userKey, toHex } from '../key/full-key.ts';
import { encodeValue } from '../key/value.ts';
import type { SstInfo } from '../version/sst-info.ts';
import { FOOTER_LEN } from './format.ts';

const enc = new TextEncoder();
const uk = (i: number) => userKey(7, i % 256, enc.encode(`pk-${String(i).padStart(6, '0')}`));

/** n user keys, each with versions at epochs 3 (put), 2 (delete if i%5==0 else put). */
async function buildSst(n: number, blockSizeBytes = 1024) {
  const b = new SstableBuilder({ blockSizeBytes });
  const entries: [Uint8Array, Uint8Array][] = [];
  const keys = Array.from({ length: n }, (_, i) => uk(i)).sort((a, c) => Buffer.compare(a, c));
  for (const [i, k] of keys.entries()) {
    for (const e of [3n, 2n]) {
      const v = e === 2n && i % 5 === 0 ? null : enc.encode(`v${i}@${e}`);
      b.add(fullKey(k, e), v);
      entries.push([fullKey(k, e), encodeValue(v)]);
    }
  }
  const built = b.finish();
  const store = new MemoryObjectStore();
  const info: SstInfo = { id: 1, objectPath: 'c/sst/1.data', ...built.info };
  await store.put(info.objectPath, built.data);
  return { store, info, entries, keys };
}

async function scanAll(sstables: SstableStore, info: SstInfo, readaheadBytes = 0) {
  const it = new SstableIterator(sstables, info, { readaheadBytes });
  await it.seek(new Uint8Array(0));
  const out: [Uint8Array, Uint8Array][] = [];
  while (it.valid()) {
    out.push([it.key(), it.value()]);
    const p = it.next();
    if (p) await p;
  }
  return out;
}

test('sstable build/read round trip over many blocks', async () => {
  const { store, info, entries, keys } = await buildSst(2000);
  assert.equal(info.keyCount, 4000);
  assert.equal(info.minEpoch, '2');
  assert.equal(info.maxEpoch, '3');
  assert.deepEqual(info.tableIds, [7]);
  assert.equal(info.smallestKey, toHex(entries[0][0]));
  const sstables = new SstableStore(store);
  const meta = await sstables.meta(info);
  assert.ok(meta.blocks.length > 10, `blocks: ${meta.blocks.length}`);
  assert.deepEqual(await scanAll(sstables, info), entries);
  // Seeks: to each key at epoch 2 lands on that version.
  const it = new SstableIterator(sstables, info);
  for (let i = 0; i < keys.length; i += 37) {
    await it.seek(fullKey(keys[i], 2n));
    assert.deepEqual(it.key(), fullKey(keys[i], 2n));
    await it.seek(fullKey(keys[i], 1n)); // past the last version → next user key
    if (i + 1 < keys.length) assert.deepEqual(it.key(), fullKey(keys[i + 1], 3n));
  }
  await it.seek(fullKey(userKey(8, 0, new Uint8Array(0)), 0n));
  assert.equal(it.valid(), false);
});

test('a flipped byte in a block gives a corruption error naming the object', async () => {
  const { store, info } = await buildSst(500);
  const raw = store.raw(info.objectPath)!;
  raw[100] ^= 0x01;
  await assert.rejects(scanAll(new SstableStore(store), info), (e: Error & { code?: string }) => e.code === 'XX001' && e.message.includes('c/sst/1.data'));
});

test('a flipped byte in the meta block or footer gives a corruption error', async () => {
  for (const back of [FOOTER_LEN + 3, 5, 30]) {
    const { store, info } = await buildSst(100);
    const raw = store.raw(info.objectPath)!;
    raw[raw.length - back] ^= 0x40;
    await assert.rejects(new SstableStore(store).meta(info), (e: Error & { code?: string }) => e.code === 'XX001' && e.message.includes('c/sst/1.data'), `byte -${back}`);
  }
});

test('a truncated object gives a corruption error naming the object', async () => {
  const { store, info } = await buildSst(500);
  const raw = store.raw(info.objectPath)!;
  store.setRaw(info.objectPath, raw.slice(0, raw.length - 10));
  await assert.rejects(scanAll(new SstableStore(store), info), (e: Error & { code?: string }) => e.code === 'XX001' && e.message.includes('c/sst/1.data'));
  // Truncated in the data section while the info claims the full size.
  store.setRaw(info.objectPath, raw.slice(0, 3000));
  await assert.rejects(scanAll(new SstableStore(store), info), (e: Error & { code?: string }) => e.code === 'XX001' && e.message.includes('c/sst/1.data'));
});

test('a missing object gives an IoError naming it', async () => {
  const { info } = await buildSst(10);
  await assert.rejects(new SstableStore(new MemoryObjectStore()).meta(info), (e: Error & { code?: string }) => e.code === '58030' && e.message.includes('c/sst/1.data'));
});

test('block cache serves repeated reads', async () => {
  const { store, info } = await buildSst(2000);
  const sstables = new SstableStore(store);
  await scanAll(sstables, info);
  const misses = sstables.blockCache.stats().misses;
  await scanAll(sstables, info);
  assert.equal(sstables.blockCache.stats().misses, misses);
  const tiny = new SstableStore(store, { blockCacheBytes: 4096 });
  await scanAll(tiny, info);
  assert.ok(tiny.blockCache.sizeBytes() <= 4096);
});

test('readahead reads runs of blocks in one GET each, outside the block cache, with the same result', async () => {
  const { store, info, entries, keys } = await buildSst(2000);
  let gets = 0;
  const getRange = store.getRange.bind(store);
  store.getRange = (p, o, l) => {
    gets++;
    return getRange(p, o, l);
  };
  const sstables = new SstableStore(store);
  const meta = await sstables.meta(info);
  gets = 0;
  assert.deepEqual(await scanAll(sstables, info, 8 * 1024), entries);
  assert.ok(gets < meta.blocks.length / 4, `${gets} GETs for ${meta.blocks.length} blocks`);
  assert.equal(sstables.blockCache.stats().entries, 0, 'the block cache is left alone');
  // A seek into the middle starts a run there.
  const it = new SstableIterator(sstables, info, { readaheadBytes: 8 * 1024 });
  await it.seek(fullKey(keys[1500], 3n));
  assert.deepEqual(it.key(), fullKey(keys[1500], 3n));
});

/** `count` copies of one SST under ids 1..count (same bytes, distinct objects). */
async function copies(count: number) {
  const { store, info } = await buildSst(300);
  const bytes = await store.get(info.objectPath);
  const infos: SstInfo[] = [];
  for (let id = 1; id <= count; id++) {
    const copy: SstInfo = { ...info, id, objectPath: `c/sst/${id}.data` };
    await store.put(copy.objectPath, bytes);
    infos.push(copy);
  }
  return { store, infos };
}

test('prefetchMetas loads the missing metas, in order, and later reads find them cached', async () => {
  const { store, infos } = await copies(6);
  const sstables = new SstableStore(store);
  await sstables.meta(infos[2]);
  const loadedBefore = sstables.metaCache.stats().misses;
  assert.equal(await sstables.prefetchMetas(infos, { concurrency: 2, budgetBytes: Infinity }), 5);
  assert.equal(sstables.metaCache.stats().misses - loadedBefore, 5);
  for (const info of infos) assert.ok(sstables.cachedMeta(info), `meta of SST ${info.id} cached`);
  assert.equal(await sstables.prefetchMetas(infos, { concurrency: 2, budgetBytes: Infinity }), 0, 'nothing left to load');
});

test('prefetchMetas stops at its byte budget and skips metas it cannot load', async () => {
  const { store, infos } = await copies(6);
  const metaBytes = (await new SstableStore(store).meta(infos[0])).sizeBytes;
  const sstables = new SstableStore(store);
  // Budget for 2.5 metas, one load at a time: the first three start (the third while under budget).
  assert.equal(await sstables.prefetchMetas(infos, { concurrency: 1, budgetBytes: metaBytes * 2.5 }), 3);
  assert.deepEqual(infos.map((i) => sstables.cachedMeta(i) !== undefined), [true, true, true, false, false, false]);
  const broken = new SstableStore(store);
  await store.delete(infos[1].objectPath);
  assert.equal(await broken.prefetchMetas(infos, { concurrency: 3, budgetBytes: Infinity }), 5);
  assert.equal(broken.cachedMeta(infos[1]), undefined);
  await assert.rejects(broken.meta(infos[1]), 'the read that needs it still fails');
});
