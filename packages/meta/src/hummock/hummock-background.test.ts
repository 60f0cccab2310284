import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@tributary/common';
import { HummockReader, HummockStateStore, SstableStore, createObjectStore, userKey, allSsts, type SstInfo } from '@tributary/storage';
import { SqliteMetaStore } from '../meta-store/sqlite-meta-store.ts';
import { HummockManager } from './hummock-manager.ts';
import { HummockBackground } from './hummock-background.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const k = (i: number) => userKey(1, 0, enc.encode(`k${String(i).padStart(4, '0')}`));
const log = createLogger('test');

async function cluster(name: string, config: ConstructorParameters<typeof HummockBackground>[1]['config'] = {}) {
  const url = `memory://${name}`;
  const hummock = new HummockManager(new SqliteMetaStore(':memory:'), log);
  let notified = 0;
  const bg = new HummockBackground(hummock, {
    stateStoreUrl: url,
    clusterPrefix: 'c',
    onVersion: () => notified++,
    log,
    config: { safeEpochGraceMs: 0, vacuumIntervalMs: 3_600_000, ...config, compaction: { l0SubLevelCompactTrigger: 3, targetFileSizeBytes: 1024, ...config.compaction } },
  });
  const objectStore = createObjectStore(url);
  const node = new HummockStateStore({
    objectStore,
    clusterPrefix: 'c',
    allocateSstIds: async (n) => {
      const start = await hummock.allocateSstIds(n);
      return Array.from({ length: n }, (_, i) => start + i);
    },
    blockSizeBytes: 512,
  });
  /** Writes keys [from, to) with value `v<epoch>`, deleting every key in `deletes`, and commits the epoch. */
  const checkpoint = async (epoch: bigint, from: number, to: number, deletes: number[] = []) => {
    const kvs: [Uint8Array, Uint8Array | null][] = [];
    for (let i = from; i < to; i++) kvs.push([k(i), enc.encode(`v${epoch}`)]);
    for (const d of deletes) kvs.push([k(d), null]);
    node.ingestBatch(epoch, kvs);
    node.updateVersion(await hummock.commitEpoch(epoch, await node.sync(epoch), []));
  };
  return { hummock, bg, objectStore, checkpoint, notified: () => notified };
}

async function idle(bg: HummockBackground) {
  // Wait for the background run started by the last commit.
  await bg.compaction.compactNow().catch(() => null);
}

test('compaction runs after commits, keeps reads correct and notifies', async () => {
  const c = await cluster('sched1');
  for (let e = 1n; e <= 6n; e++) await c.checkpoint(e, Number(e) * 10, Number(e) * 10 + 200, e === 6n ? [15, 25] : []);
  await idle(c.bg);
  const v = c.hummock.version;
  assert.ok(v.l0.length < 3, `L0 compacted (has ${v.l0.length} sub-levels)`);
  assert.ok(v.levels[0].length > 1, 'L1 holds split outputs');
  assert.ok(c.notified() > 0);
  const reader = new HummockReader(v, new SstableStore(c.objectStore));
  assert.equal(dec.decode((await reader.get(k(100), 6n))!), 'v6');
  assert.equal(await reader.get(k(15), 6n), null);
  assert.equal(await reader.get(k(25), 6n), null);
  assert.equal(dec.decode((await reader.get(k(205), 6n))!), 'v6');
  assert.equal(dec.decode((await reader.get(k(12), 6n))!), 'v1');
  let n = 0;
  for await (const _ of reader.iter(k(0), null, 6n)) n++;
  assert.equal(n, 260 - 10 - 2);
  await c.bg.stop();
});

test('a compaction whose inputs vanished is not committed', async () => {
  const c = await cluster('sched2', { compactionEnabled: false });
  for (let e = 1n; e <= 3n; e++) await c.checkpoint(e, 0, 50);
  const { pickManual, DEFAULT_COMPACTION_CONFIG } = await import('@tributary/storage/compactor');
  const task = pickManual(c.hummock.version, DEFAULT_COMPACTION_CONFIG)!;
  assert.equal((await c.bg.compaction.compactNow())?.status, 'committed');
  const before = c.hummock.version.id;
  assert.equal(await c.hummock.commitCompaction(task, []), null);
  assert.equal(c.hummock.version.id, before);
  await c.bg.stop();
});

test('vacuum deletes only unreferenced objects, and only after the grace period', async () => {
  const c = await cluster('vac1', { compactionEnabled: false, vacuumGraceMs: 1000 });
  for (let e = 1n; e <= 3n; e++) await c.checkpoint(e, 0, 50);
  // An orphan: uploaded by a sync that never committed.
  await c.objectStore.put('c/sst/999999.data', new Uint8Array(10));
  const referencedBefore = allSsts(c.hummock.version).map((s: SstInfo) => s.objectPath);
  const r1 = await c.bg.vacuum.runOnce(1_000);
  assert.deepEqual(r1.deleted, []);
  assert.equal(r1.pending, 1);
  assert.deepEqual((await c.bg.vacuum.runOnce(1_500)).deleted, []);
  assert.deepEqual((await c.bg.vacuum.runOnce(2_000)).deleted, ['c/sst/999999.data']);
  // Compaction makes its inputs unreferenced; they go after the grace, the outputs never do.
  assert.equal((await c.bg.compaction.compactNow())?.status, 'committed');
  const referenced = allSsts(c.hummock.version).map((s: SstInfo) => s.objectPath);
  assert.deepEqual((await c.bg.vacuum.runOnce(10_000)).deleted, []);
  const deleted = (await c.bg.vacuum.runOnce(11_000)).deleted;
  assert.deepEqual(deleted.sort(), referencedBefore.sort());
  for (const p of referenced) assert.ok(!deleted.includes(p));
  assert.equal((await c.bg.vacuum.runOnce(1_000_000)).deleted.length, 0);
  const left = (await c.objectStore.list('c/sst/')).map((o) => o.path).sort();
  assert.deepEqual(left, referenced.sort());
  await c.bg.stop();
});

test('a pinned version keeps its objects and a pinned epoch keeps its rows through compaction and vacuum', async () => {
  const c = await cluster('pin1', { compactionEnabled: false, vacuumGraceMs: 0 });
  for (let e = 1n; e <= 3n; e++) await c.checkpoint(e, 0, 50);
  // A frontend query starts on version v at epoch 3 and reads slowly.
  const pinned = c.hummock.version;
  c.hummock.pin(7, { minVersionId: pinned.id, minEpoch: 3n });
  for (let e = 4n; e <= 6n; e++) await c.checkpoint(e, 0, 50, e === 6n ? [10] : []);
  // The safe epoch stops at the pinned epoch: compaction keeps the epoch-3 rows.
  assert.equal(c.hummock.safeEpoch(Date.now(), 0), 3n);
  assert.equal((await c.bg.compaction.compactNow())?.status, 'committed');
  const current = new HummockReader(c.hummock.version, new SstableStore(c.objectStore));
  assert.equal(dec.decode((await current.get(k(1), 3n))!), 'v3', 'the compacted version still answers at the pinned epoch');
  assert.equal(dec.decode((await current.get(k(10), 3n))!), 'v3');
  assert.equal(await current.get(k(10), 6n), null);
  // Vacuum (grace 0) must keep every object of the pinned version although compaction replaced them.
  assert.deepEqual((await c.bg.vacuum.runOnce()).deleted, []);
  assert.deepEqual((await c.bg.vacuum.runOnce(Date.now() + 1)).deleted, []);
  const old = new HummockReader(pinned, new SstableStore(c.objectStore));
  let n = 0;
  for await (const [, v] of old.iter(k(0), null, 3n)) {
    assert.equal(dec.decode(v), 'v3');
    n++;
  }
  assert.equal(n, 50, 'the pinned version reads completely');
  // Once the reader reports a newer pin, the replaced objects go.
  c.hummock.pin(7, { minVersionId: c.hummock.version.id, minEpoch: c.hummock.version.maxCommittedEpoch });
  assert.equal(c.hummock.safeEpoch(Date.now(), 0), 6n);
  await c.bg.vacuum.runOnce();
  const deleted = (await c.bg.vacuum.runOnce(Date.now() + 1)).deleted;
  for (const o of allSsts(pinned)) assert.ok(deleted.includes(o.objectPath), `${o.objectPath} deleted once unpinned`);
  for (const o of allSsts(c.hummock.version)) assert.ok(!deleted.includes(o.objectPath));
  // A worker that leaves releases its pins.
  c.hummock.pin(8, { minVersionId: 1, minEpoch: 1n });
  assert.equal(c.hummock.minPinnedEpoch(), 1n);
  c.hummock.unpin(8);
  assert.equal(c.hummock.minPinnedEpoch(), 6n);
  await c.bg.stop();
});

test('a state store scan pins the version it started on until it is closed', async () => {
  const { PinTracker } = await import('@tributary/storage');
  const t = new PinTracker(1000);
  const release = t.pin(3, 30n);
  const r2 = t.pin(5, 50n);
  assert.deepEqual(t.report({ minVersionId: 9, minEpoch: 90n }, Date.now()), { minVersionId: 3, minEpoch: 30n });
  release();
  release();
  assert.deepEqual(t.report({ minVersionId: 9, minEpoch: 90n }, Date.now()), { minVersionId: 5, minEpoch: 50n });
  // An abandoned pin stops counting after its maximum age.
  assert.deepEqual(t.report({ minVersionId: 9, minEpoch: 90n }, Date.now() + 5000), { minVersionId: 9, minEpoch: 90n });
  r2();
  const c = await cluster('pin2', { compactionEnabled: false });
  await c.checkpoint(1n, 0, 50);
  const node = new HummockStateStore({ objectStore: c.objectStore, clusterPrefix: 'c', allocateSstIds: async () => [] });
  node.updateVersion(c.hummock.version);
  const v1 = c.hummock.version.id;
  const it = node.iter(k(0), null, 1n);
  await it.next();
  await c.checkpoint(2n, 0, 50);
  node.updateVersion(c.hummock.version);
  assert.equal(node.pinReport().minVersionId, v1, 'an open scan pins its version');
  await it.return(undefined);
  assert.equal(node.pinReport().minVersionId, c.hummock.version.id);
  await c.bg.stop();
});
