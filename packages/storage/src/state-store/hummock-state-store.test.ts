import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HummockStateStore, type StateStoreOptions } from './hummock-state-store.ts';
import { HummockReader, singleTableOf } from './hummock-reader.ts';
import { MemoryObjectStore } from '../object-store/memory.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { applyVersionDelta } from '../version/version-delta.ts';
import type { SstInfo } from '../version/sst-info.ts';
import { userKey, toHex, compareBytes } from '../key/full-key.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A fake meta: SST id allocation and commits (one L0 sub-level per sync). */
function harness(opts: Partial<StateStoreOptions> = {}) {
  const objectStore = new MemoryObjectStore();
  let nextId = 1;
  const store = new HummockStateStore({
    objectStore,
    clusterPrefix: 'c1',
    allocateSstIds: async (n) => Array.from({ length: n }, () => nextId++),
    ...opts,
  });
  const commit = (epoch: bigint, ssts: SstInfo[]) => {
    const v = store.committedVersion();
    store.updateVersion(
      applyVersionDelta(v, { id: v.id + 1, prevId: v.id, maxCommittedEpoch: epoch, safeEpoch: 0n, newL0SubLevel: ssts.length ? { id: v.id + 1, ssts } : undefined }),
    );
  };
  return { store, objectStore, commit };
}

async function collect(gen: AsyncGenerator<[Uint8Array, Uint8Array]>): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of gen) out.push(`${dec.decode(k.subarray(6))}=${dec.decode(v)}`);
  return out;
}

const k = (s: string) => userKey(1, 0, enc.encode(s));
const v = (s: string) => enc.encode(s);

test('writes are readable from the buffer, then from SSTs after sync + commit', async () => {
  const { store, objectStore, commit } = harness();
  store.ingestBatch(10n, [[k('a'), v('a10')], [k('b'), v('b10')]]);
  store.ingestBatch(20n, [[k('a'), null], [k('c'), v('c20')]]);
  assert.equal(dec.decode((await store.get(k('a'), 10n))!), 'a10');
  assert.equal(await store.get(k('a'), 20n), null);
  assert.deepEqual(await collect(store.iter(k(''), null, 20n)), ['b=b10', 'c=c20']);

  const ssts = await store.sync(20n);
  assert.equal(ssts.length, 1);
  assert.equal(ssts[0].objectPath, 'c1/sst/1.data');
  assert.deepEqual((await objectStore.list('c1/sst/')).map((o) => o.path), ['c1/sst/1.data']);
  assert.deepEqual(await store.sync(20n), [], 'nothing new to sync');
  commit(20n, ssts);
  assert.equal(store.bufferSizeBytes(), 0);
  assert.equal(dec.decode((await store.get(k('a'), 10n))!), 'a10');
  assert.equal(await store.get(k('a'), 20n), null);
  assert.deepEqual(await collect(store.iter(k('b'), k('c'), 20n)), ['b=b10']);

  // A frontend reader over the committed version sees the same.
  const reader = new HummockReader(store.committedVersion(), new SstableStore(objectStore));
  assert.deepEqual(await collect(reader.iter(k(''), null, 20n)), ['b=b10', 'c=c20']);
  assert.deepEqual(await collect(reader.iter(k(''), null, 15n)), ['a=a10', 'b=b10']);
});

test('a failed upload leaves the batches in the buffer; a retry succeeds', async () => {
  const { store, objectStore, commit } = harness();
  let failPuts = 1;
  const put = objectStore.put.bind(objectStore);
  objectStore.put = async (p, d) => {
    if (failPuts-- > 0) throw new Error('injected upload failure');
    return put(p, d);
  };
  store.ingestBatch(5n, [[k('x'), v('x5')]]);
  await assert.rejects(store.sync(5n), /injected/);
  assert.equal(dec.decode((await store.get(k('x'), 5n))!), 'x5');
  const ssts = await store.sync(5n);
  assert.equal(ssts.length, 1);
  commit(5n, ssts);
  assert.equal(dec.decode((await store.get(k('x'), 5n))!), 'x5');
});

test('clearUncommitted drops epochs above the committed one', async () => {
  const { store, commit } = harness();
  store.ingestBatch(1n, [[k('a'), v('1')]]);
  commit(1n, await store.sync(1n));
  store.ingestBatch(2n, [[k('a'), v('2')]]);
  store.ingestBatch(3n, [[k('b'), v('3')]]);
  await store.sync(2n); // synced but never committed
  store.clearUncommitted();
  assert.equal(dec.decode((await store.get(k('a'), 3n))!), '1');
  assert.deepEqual(await collect(store.iter(k(''), null, 3n)), ['a=1']);
});

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('model-based: random puts/deletes over many epochs with syncs and commits', async () => {
  const rand = rng(42);
  const { store, commit } = harness({ sstTargetBytes: 2048, blockSizeBytes: 256 });
  // Short keys over a tiny alphabet: many keys prefix others ('a', 'ab', 'abb').
  const keys = new Set<string>();
  while (keys.size < 120) keys.add(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => 'ab'[Math.floor(rand() * 2)]).join('') + (rand() < 0.3 ? '' : String(Math.floor(rand() * 9))));
  const keyList = [...keys];
  const model = new Map<string, { epoch: bigint; value: string | null }[]>();
  const readModel = (key: string, epoch: bigint): string | null => {
    const versions = model.get(key) ?? [];
    let best: { epoch: bigint; value: string | null } | null = null;
    for (const ver of versions) if (ver.epoch <= epoch && (!best || ver.epoch >= best.epoch)) best = ver;
    return best?.value ?? null;
  };
  const pendingSyncs: { epoch: bigint; ssts: SstInfo[] }[] = [];
  let epoch = 0n;
  for (let round = 0; round < 60; round++) {
    epoch += 1n + BigInt(Math.floor(rand() * 3));
    const batches = 1 + Math.floor(rand() * 2);
    for (let b = 0; b < batches; b++) {
      const kvs: [Uint8Array, Uint8Array | null][] = [];
      const n = Math.floor(rand() * 15);
      for (let i = 0; i < n; i++) {
        const key = keyList[Math.floor(rand() * keyList.length)];
        const value = rand() < 0.25 ? null : `${key}@${epoch}#${b}.${i}`;
        kvs.push([k(key), value === null ? null : v(value)]);
        const versions = model.get(key) ?? [];
        // Same epoch: the later write wins.
        const same = versions.find((x) => x.epoch === epoch);
        if (same) same.value = value;
        else versions.push({ epoch, value });
        model.set(key, versions);
      }
      store.ingestBatch(epoch, kvs);
    }
    if (rand() < 0.5) pendingSyncs.push({ epoch, ssts: await store.sync(epoch) });
    // Meta commits syncs in order, sometimes lagging behind.
    while (pendingSyncs.length > 0 && rand() < 0.7) {
      const s = pendingSyncs.shift()!;
      commit(s.epoch, s.ssts);
    }
    await checkReads(rand, store, keyList, readModel, epoch);
  }
  while (pendingSyncs.length > 0) {
    const s = pendingSyncs.shift()!;
    commit(s.epoch, s.ssts);
  }
  commit(epoch, await store.sync(epoch));
  assert.equal(store.bufferSizeBytes(), 0);
  assert.ok(store.committedVersion().l0.length > 5);
  await checkReads(rand, store, keyList, readModel, epoch);
});

async function checkReads(
  rand: () => number,
  store: HummockStateStore,
  keyList: string[],
  readModel: (key: string, epoch: bigint) => string | null,
  maxEpoch: bigint,
): Promise<void> {
  for (let r = 0; r < 4; r++) {
    const at = BigInt(Math.floor(rand() * Number(maxEpoch + 2n)));
    for (let i = 0; i < 10; i++) {
      const key = keyList[Math.floor(rand() * keyList.length)];
      const got = await store.get(k(key), at);
      assert.equal(got === null ? null : dec.decode(got), readModel(key, at), `get ${key} @${at}`);
    }
    const [a, b] = [keyList[Math.floor(rand() * keyList.length)], keyList[Math.floor(rand() * keyList.length)]];
    const start = rand() < 0.2 ? '' : a < b ? a : b;
    const end = rand() < 0.3 ? null : a < b ? b : a;
    const expected = [...keyList]
      .map((key) => ({ key, bytes: enc.encode(key) }))
      .filter(({ key }) => key >= start && (end === null || key < end))
      .sort((x, y) => compareBytes(x.bytes, y.bytes))
      .map(({ key }) => [key, readModel(key, at)] as const)
      .filter(([, val]) => val !== null)
      .map(([key, val]) => `${key}=${val}`);
    const got = await collect(store.iter(k(start), end === null ? null : k(end), at));
    assert.deepEqual(got, expected, `iter [${start}, ${end}) @${at}`);
  }
}

test('sync splits large inputs into several SSTs at user-key boundaries', async () => {
  const { store, commit } = harness({ sstTargetBytes: 4096, blockSizeBytes: 512 });
  for (let e = 1n; e <= 3n; e++) {
    store.ingestBatch(e, Array.from({ length: 500 }, (_, i) => [k(`key${String(i).padStart(4, '0')}`), v(`value-${e}-${i}`)] as [Uint8Array, Uint8Array]));
  }
  const ssts = await store.sync(3n);
  assert.ok(ssts.length > 3, `ssts: ${ssts.length}`);
  for (let i = 1; i < ssts.length; i++) {
    // Non-overlapping and never splitting one user key's versions.
    assert.ok(ssts[i - 1].largestKey.slice(0, -16) < ssts[i].smallestKey.slice(0, -16), toHex(new Uint8Array()));
  }
  commit(3n, ssts);
  assert.equal(dec.decode((await store.get(k('key0250'), 2n))!), 'value-2-250');
  assert.equal((await collect(store.iter(k(''), null, 1n))).length, 500);
});

test('point gets of absent keys are answered by the bloom filter without block reads', async () => {
  const { store, objectStore, commit } = harness({ blockSizeBytes: 512 });
  store.ingestBatch(1n, Array.from({ length: 1000 }, (_, i) => [k(`present${i}`), v(`${i}`)] as [Uint8Array, Uint8Array]));
  commit(1n, await store.sync(1n));
  const sstables = new SstableStore(objectStore);
  const reader = new HummockReader(store.committedVersion(), sstables);
  assert.equal(dec.decode((await reader.get(k('present500'), 1n))!), '500');
  const before = sstables.blockCache.stats().misses;
  let found = 0;
  for (let i = 0; i < 1000; i++) if (await reader.get(k(`present${i}x`), 1n)) found++;
  assert.equal(found, 0);
  assert.ok(sstables.blockCache.stats().misses - before < 40, `block reads: ${sstables.blockCache.stats().misses - before}`);
});

test('a newly installed version has its SST metas loaded in the background, so the first get fetches only data', async () => {
  const { store, objectStore, commit } = harness({ sstTargetBytes: 4096, blockSizeBytes: 512, metaPrefetchConcurrency: 0 });
  for (let e = 1n; e <= 3n; e++) {
    store.ingestBatch(e, Array.from({ length: 1000 }, (_, i) => [k(`e${e}key${String(i).padStart(4, '0')}`), v(`value-${e}-${i}`)] as [Uint8Array, Uint8Array]));
    commit(e, await store.sync(e));
  }
  const version = store.committedVersion();
  const sstCount = version.l0.reduce((n, sl) => n + sl.ssts.length, 0);
  assert.ok(sstCount > 6, `ssts: ${sstCount}`);

  // A node that starts (or restarts) and installs the committed version.
  let gets = 0;
  const getRange = objectStore.getRange.bind(objectStore);
  objectStore.getRange = (p, o, l) => {
    gets++;
    return getRange(p, o, l);
  };
  const fresh = new HummockStateStore({ objectStore, clusterPrefix: 'c1', allocateSstIds: async () => [], metaPrefetchConcurrency: 3 });
  fresh.updateVersion(version);
  for (let i = 0; i < 1000 && fresh.stats().metaCache.entries < sstCount; i++) await new Promise((r) => setImmediate(r));
  assert.equal(fresh.stats().metaCache.entries, sstCount, 'every meta loaded without a read asking');
  assert.equal(gets, 2 * sstCount, 'footer + meta per SST');
  gets = 0;
  assert.equal(dec.decode((await fresh.get(k('e1key0150'), 3n))!), 'value-1-150');
  assert.equal(gets, 1, 'one data block, no meta');

  const lazy = new HummockStateStore({ objectStore, clusterPrefix: 'c1', allocateSstIds: async () => [], metaPrefetchConcurrency: 0 });
  lazy.updateVersion(version);
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(lazy.stats().metaCache.entries, 0, 'metaPrefetchConcurrency 0: metas only on demand');
});

test('reads skip SSTs whose table ids lack the table read: no meta, bloom probe or block for them', async () => {
  const { store, objectStore, commit } = harness({ metaPrefetchConcurrency: 0 });
  const t = (table: number, s: string) => userKey(table, 0, enc.encode(s));
  // Epoch 1 writes tables 1, 2 and 3; epochs 2..9 write tables 1 and 3 only (spanning table 2's range).
  store.ingestBatch(1n, [[t(1, 'a'), v('1a')], [t(2, 'x'), v('2x')], [t(2, 'y'), v('2y')], [t(3, 'a'), v('3a')]]);
  commit(1n, await store.sync(1n));
  for (let e = 2n; e <= 9n; e++) {
    store.ingestBatch(e, [[t(1, `k${e}`), v(`1-${e}`)], [t(3, `k${e}`), v(`3-${e}`)]]);
    commit(e, await store.sync(e));
  }
  const version = store.committedVersion();
  assert.equal(version.l0.length, 9);
  let gets = 0;
  const getRange = objectStore.getRange.bind(objectStore);
  objectStore.getRange = (p, o, l) => {
    gets++;
    return getRange(p, o, l);
  };
  const reader = new HummockReader(version, new SstableStore(objectStore));
  assert.equal(dec.decode((await reader.get(t(2, 'y'), 9n))!), '2y');
  assert.equal(await reader.get(t(2, 'z'), 9n), null);
  assert.equal(gets, 3, 'footer, meta and one block of the one SST holding table 2');
  const rows: string[] = [];
  for await (const [, value] of reader.iter(userKey(2, 0, new Uint8Array(0)), userKey(3, 0, new Uint8Array(0)).subarray(0, 4), 9n)) rows.push(dec.decode(value));
  assert.deepEqual(rows, ['2x', '2y']);
  assert.equal(gets, 3, 'the scan of table 2 opened no other SST');
  // Table 1 is in every SST: all are still read.
  assert.equal(dec.decode((await reader.get(t(1, 'k2'), 9n))!), '1-2');
  assert.ok(gets > 3);
});

test('singleTableOf: the one table a key range lies in, else null', () => {
  const prefix = (id: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, id, false);
    return b;
  };
  assert.equal(singleTableOf(userKey(7, 3, enc.encode('a')), userKey(7, 3, enc.encode('b'))), 7);
  assert.equal(singleTableOf(prefix(7), prefix(8)), 7, 'a whole table');
  assert.equal(singleTableOf(prefix(0xff), new Uint8Array([0, 0, 1])), 0xff, 'prefixEnd of table 255 is 3 bytes long');
  assert.equal(singleTableOf(prefix(7), userKey(8, 0, enc.encode('a'))), null, 'reaches into table 8');
  assert.equal(singleTableOf(prefix(7), null), null);
  assert.equal(singleTableOf(new Uint8Array([0, 0]), prefix(8)), null);
  assert.equal(singleTableOf(prefix(0xffff_ffff), null), null);
});
