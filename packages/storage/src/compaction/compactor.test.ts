import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryObjectStore } from '../object-store/memory.ts';
import { SstableBuilder } from '../sstable/sstable-builder.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { sstObjectPath, type SstInfo } from '../version/sst-info.ts';
import { emptyVersion } from '../version/version.ts';
import { applyVersionDelta } from '../version/version-delta.ts';
import { HummockReader } from '../state-store/hummock-reader.ts';
import { compareFullKeys, fullKey, userKey, epochOf } from '../key/full-key.ts';
import { DEFAULT_COMPACTION_CONFIG } from './compaction-config.ts';
import { pickManual } from './picker/picker.ts';
import { apply } from './picker/apply.ts';
import { Compactor } from './compactor.ts';
import { VersionGc } from './version-gc.ts';
import { encodeValue } from '../key/value.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const k = (s: string) => userKey(1, 0, enc.encode(s));

test('version gc keeps versions above the safe epoch and the newest at or below it', () => {
  // key a: 30, 20, 10, 5; safe = 20 → keep 30, 20. key b: 15 (delete), 3 → keep tombstone 15 unless bottommost.
  const rows: [string, bigint, string | null][] = [['a', 30n, 'x'], ['a', 20n, 'y'], ['a', 20n, 'dup'], ['a', 10n, 'z'], ['a', 5n, 'w'], ['b', 15n, null], ['b', 3n, 'v'], ['c', 40n, null]];
  const run = (bottommost: boolean) => {
    const gc = new VersionGc(20n, bottommost);
    return rows.filter(([key, e, v]) => gc.keep(fullKey(k(key), e), encodeValue(v === null ? null : enc.encode(v)))).map(([key, e]) => `${key}@${e}`);
  };
  assert.deepEqual(run(false), ['a@30', 'a@20', 'b@15', 'c@40']);
  assert.deepEqual(run(true), ['a@30', 'a@20', 'c@40']);
});

let nextId = 1;
async function putSst(store: MemoryObjectStore, rows: [string, bigint, string | null][], blockSizeBytes = 64): Promise<SstInfo> {
  const b = new SstableBuilder({ blockSizeBytes });
  const sorted = rows.map(([key, e, v]) => [fullKey(k(key), e), v] as const).sort((x, y) => compareFullKeys(x[0], y[0]));
  for (const [fk, v] of sorted) b.add(fk, v === null ? null : enc.encode(v));
  const built = b.finish();
  const id = nextId++;
  const info = { id, objectPath: sstObjectPath('c', id), ...built.info };
  await store.put(info.objectPath, built.data);
  return info;
}

function compactor(store: MemoryObjectStore): Compactor {
  return new Compactor({ objectStore: store, clusterPrefix: 'c', allocateSstIds: async (n) => Array.from({ length: n }, () => nextId++), blockSizeBytes: 64 });
}

async function dump(store: MemoryObjectStore, ssts: SstInfo[]): Promise<string[]> {
  const out: string[] = [];
  const sstables = new SstableStore(store);
  for (const s of ssts) {
    const it = new SstableIterator(sstables, s);
    await it.seek(new Uint8Array(0));
    while (it.valid()) {
      const key = it.key();
      const v = it.value();
      out.push(`${dec.decode(key.subarray(6, key.length - 8))}@${epochOf(key)}=${v[0] === 0 ? 'DEL' : dec.decode(v.subarray(1))}`);
      const p = it.next();
      if (p) await p;
    }
  }
  return out;
}

test('compaction merges L0 sub-levels into L1, drops old versions and bottom tombstones, splits outputs', async () => {
  const store = new MemoryObjectStore();
  const s1 = await putSst(store, [['a', 1n, 'a1'], ['b', 1n, 'b1'], ['c', 1n, 'c1']]);
  const s2 = await putSst(store, [['a', 2n, 'a2'], ['b', 2n, null]]);
  const s3 = await putSst(store, [['a', 3n, 'a3'], ['d', 3n, 'd3']]);
  let v = emptyVersion();
  for (const [i, s] of [s1, s2, s3].entries()) {
    v = applyVersionDelta(v, { id: i + 1, prevId: i, maxCommittedEpoch: BigInt(i + 1), safeEpoch: 0n, newL0SubLevel: { id: i + 1, ssts: [s] } });
  }
  const task = { ...pickManual(v, DEFAULT_COMPACTION_CONFIG)!, safeEpoch: 2n, targetFileSizeBytes: 30 };
  assert.equal(task.bottommost, true);
  const { outputs, stats } = await compactor(store).run(task);
  assert.deepEqual(await dump(store, outputs), ['a@3=a3', 'a@2=a2', 'c@1=c1', 'd@3=d3']);
  assert.ok(outputs.length >= 2, `split at the target size, got ${outputs.length}`);
  assert.equal(stats.inputKeys, 7);
  assert.equal(stats.outputKeys, 4);
  const next = applyVersionDelta(v, apply(v, task, outputs));
  assert.equal(next.l0.length, 0);
  const reader = new HummockReader(next, new SstableStore(store));
  assert.equal(dec.decode((await reader.get(k('a'), 2n))!), 'a2');
  assert.equal(dec.decode((await reader.get(k('a'), 9n))!), 'a3');
  assert.equal(await reader.get(k('b'), 9n), null);
  // Not the bottom level: the tombstone of b stays.
  const notBottom = { ...task, bottommost: false };
  assert.deepEqual(await dump(store, (await compactor(store).run(notBottom)).outputs), ['a@3=a3', 'a@2=a2', 'b@2=DEL', 'c@1=c1', 'd@3=d3']);
});

test('a corrupted input block fails the task and leaves no outputs behind', async () => {
  const store = new MemoryObjectStore();
  const rows: [string, bigint, string][] = Array.from({ length: 50 }, (_, i) => [`key${String(i).padStart(3, '0')}`, 1n, 'v'.repeat(20)]);
  const s1 = await putSst(store, rows);
  const s2 = await putSst(store, rows.map(([key]) => [key, 2n, 'w'] as [string, bigint, string]));
  const bytes = await store.get(s1.objectPath);
  bytes[200] ^= 0xff; // inside a data block, past the first one
  await store.put(s1.objectPath, bytes);
  const before = (await store.list('c/sst/')).length;
  const v = { ...emptyVersion(), id: 2, l0: [{ id: 1, ssts: [s1] }, { id: 2, ssts: [s2] }] };
  const task = { ...pickManual(v, DEFAULT_COMPACTION_CONFIG)!, targetFileSizeBytes: 100 };
  await assert.rejects(compactor(store).run(task), (err: Error) => /corrupted object c\/sst\/\d+\.data: block \d+ checksum mismatch/.test(err.message));
  assert.equal((await store.list('c/sst/')).length, before, 'partial outputs deleted');
});

test('keys of dropped tables are removed whatever their epoch; an SST of only dropped tables leaves no output', async () => {
  const store = new MemoryObjectStore();
  const put = async (rows: [number, string, bigint, string][]): Promise<SstInfo> => {
    const b = new SstableBuilder({ blockSizeBytes: 64 });
    const sorted = rows.map(([t, key, e, v]) => [fullKey(userKey(t, 0, enc.encode(key)), e), v] as const).sort((x, y) => compareFullKeys(x[0], y[0]));
    for (const [fk, v] of sorted) b.add(fk, enc.encode(v));
    const built = b.finish();
    const id = nextId++;
    const info = { id, objectPath: sstObjectPath('c', id), ...built.info };
    await store.put(info.objectPath, built.data);
    return info;
  };
  const mixed = await put([[1, 'a', 5n, 'keep'], [2, 'a', 5n, 'gone'], [2, 'b', 9n, 'gone'], [3, 'a', 1n, 'keep']]);
  assert.deepEqual(mixed.tableIds, [1, 2, 3]);
  const only = await put([[2, 'z', 3n, 'gone']]);
  const task = (ssts: SstInfo[]) => ({
    kind: 'space-reclaim' as const, inputs: [{ level: 1, ssts }], targetLevel: 1, trivialMove: false, bottommost: true,
    safeEpoch: 0n, targetFileSizeBytes: 1 << 20, droppedTableIds: [2],
  });
  const { outputs } = await compactor(store).run(task([mixed]));
  assert.deepEqual(await dump(store, outputs), ['a@5=keep', 'a@1=keep']);
  assert.deepEqual(outputs.map((o) => o.tableIds), [[1, 3]]);
  assert.deepEqual((await compactor(store).run(task([only]))).outputs, []);
});
