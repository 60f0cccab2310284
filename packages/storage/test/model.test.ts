/**
 * Model-based test of the storage engine: random puts, deletes, point gets and scans over many
 * epochs, with checkpoints, compactions (with a moving safe epoch) and restarts (a new state store
 * on the committed version, uncommitted writes lost). Every read is compared with an in-memory
 * model at the same epoch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FaultInjectingObjectStore, HummockStateStore, MemoryObjectStore, allSsts, applyVersionDelta, emptyVersion, parseFaultSpec, toHex, userKey,
  type HummockVersion, type ObjectStore,
} from '../src/index.ts';
import { Compactor, DEFAULT_COMPACTION_CONFIG, apply, pick, pickManual, type CompactionConfig } from '../src/compaction/index.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** key hex → versions newest last. */
class Model {
  private readonly versions = new Map<string, { epoch: bigint; value: string | null }[]>();
  write(key: Uint8Array, epoch: bigint, value: string | null): void {
    const h = toHex(key);
    const vs = this.versions.get(h) ?? [];
    if (vs.length && vs[vs.length - 1].epoch === epoch) vs.pop();
    vs.push({ epoch, value });
    this.versions.set(h, vs);
  }
  /** Forgets writes above `epoch` (a restart loses uncommitted epochs). */
  truncate(epoch: bigint): void {
    for (const vs of this.versions.values()) while (vs.length && vs[vs.length - 1].epoch > epoch) vs.pop();
  }
  get(key: Uint8Array, epoch: bigint): string | null {
    const vs = this.versions.get(toHex(key)) ?? [];
    for (let i = vs.length - 1; i >= 0; i--) if (vs[i].epoch <= epoch) return vs[i].value;
    return null;
  }
  scan(start: Uint8Array, end: Uint8Array, epoch: bigint): string[] {
    const [s, e] = [toHex(start), toHex(end)];
    return [...this.versions.keys()]
      .filter((h) => h >= s && h < e)
      .sort()
      .flatMap((h) => {
        const v = this.get(Buffer.from(h, 'hex'), epoch);
        return v === null ? [] : [`${h}=${v}`];
      });
  }
}

/** A read that failed on an injected fault: an error, never wrong rows. */
function injected(err: unknown): boolean {
  for (let e = err as (Error & { cause?: unknown }) | undefined; e; e = e.cause as typeof e) if (/injected object store fault/.test(String(e.message))) return true;
  return false;
}

async function runModel(
  seed: number, epochs: number, sharedBufferLimitBytes?: number, faults?: string,
): Promise<{ compactions: number; restarts: number; reads: number; failedSyncs: number; failedCompactions: number; memory: MemoryObjectStore; version: HummockVersion }> {
  const random = rng(seed);
  const memory = new MemoryObjectStore();
  const objectStore: ObjectStore = faults ? new FaultInjectingObjectStore(memory, parseFaultSpec(`${faults},seed=${seed}`)) : memory;
  let failedSyncs = 0;
  let failedCompactions = 0;
  let nextSstId = 1;
  const allocateSstIds = async (n: number) => Array.from({ length: n }, () => nextSstId++);
  const config: CompactionConfig = { ...DEFAULT_COMPACTION_CONFIG, l0SubLevelCompactTrigger: 3, l1TargetBytes: 8 * 1024, levelSizeRatio: 4, targetFileSizeBytes: 2048 };
  const compactor = new Compactor({ objectStore, clusterPrefix: 'm', allocateSstIds, blockSizeBytes: 256 });
  const open = () => new HummockStateStore({ objectStore, clusterPrefix: 'm', allocateSstIds, blockSizeBytes: 256, sstTargetBytes: 2048, sharedBufferLimitBytes });
  let store = open();
  let version: HummockVersion = emptyVersion();
  const model = new Model();
  const key = (i: number) => userKey(1 + (i % 2), i % 7, enc.encode(`key-${i}`));
  let compactions = 0;
  let restarts = 0;
  let reads = 0;
  const commit = (v: HummockVersion) => {
    version = v;
    store.updateVersion(v);
  };
  const check = async (epoch: bigint, where: string) => {
    for (let i = 0; i < 5; i++) {
      const kk = key(Math.floor(random() * 300));
      let got: Uint8Array | null;
      try {
        got = await store.get(kk, epoch);
      } catch (err) {
        if (injected(err)) continue;
        throw err;
      }
      assert.equal(got === null ? null : dec.decode(got), model.get(kk, epoch), `${where}: get ${toHex(kk)} at ${epoch}`);
      reads++;
    }
    const a = Math.floor(random() * 300);
    const [lo, hi] = [key(a), key(Math.min(299, a + Math.floor(random() * 60)))].sort((x, y) => (toHex(x) < toHex(y) ? -1 : 1));
    const got: string[] = [];
    try {
      for await (const [kk, v] of store.iter(lo, hi, epoch)) got.push(`${toHex(kk)}=${dec.decode(v)}`);
    } catch (err) {
      if (injected(err)) return;
      throw err;
    }
    assert.deepEqual(got, model.scan(lo, hi, epoch), `${where}: scan at ${epoch}`);
    reads++;
  };
  for (let e = 1n; e <= BigInt(epochs); e++) {
    const kvs: [Uint8Array, Uint8Array | null][] = [];
    for (let n = Math.floor(random() * 40); n > 0; n--) {
      const kk = key(Math.floor(random() * 300));
      const value = random() < 0.25 ? null : `v${e}-${Math.floor(random() * 1000)}`;
      kvs.push([kk, value === null ? null : enc.encode(value)]);
      model.write(kk, e, value);
    }
    // Several batches per epoch (distinct tables, like state tables): the early flush may split an epoch.
    for (const t of [1, 2]) store.ingestBatch(e, kvs.filter(([kk]) => kk[3] === t));
    if (sharedBufferLimitBytes !== undefined && random() < 0.3) await new Promise((r) => setTimeout(r, 1));
    await check(e, `epoch ${e} before checkpoint`);
    if (random() < 0.6) {
      // A failed upload fails the checkpoint: nothing is committed, the data stays buffered and
      // the next checkpoint carries it.
      let ssts = null;
      try {
        ssts = await store.sync(e);
      } catch (err) {
        if (!injected(err)) throw err;
        failedSyncs++;
      }
      if (ssts) commit(applyVersionDelta(version, { id: version.id + 1, prevId: version.id, maxCommittedEpoch: e, safeEpoch: version.safeEpoch, newL0SubLevel: ssts.length ? { id: version.id + 1, ssts } : undefined }));
    }
    if (random() < 0.3) {
      const task = random() < 0.2 ? pickManual(version, config) : pick(version, config);
      if (task) {
        // Safe epoch trails the committed epoch; reads below it are no longer checked.
        const safeEpoch = version.maxCommittedEpoch > 5n ? version.maxCommittedEpoch - 5n : 0n;
        const t = { ...task, safeEpoch: safeEpoch > version.safeEpoch ? safeEpoch : version.safeEpoch };
        try {
          const { outputs } = await compactor.run(t);
          commit(applyVersionDelta(version, apply(version, t, outputs)));
          compactions++;
        } catch (err) {
          if (!injected(err)) throw err;
          failedCompactions++; // the version is unchanged
        }
      }
    }
    if (random() < 0.05) {
      store = open();
      store.updateVersion(version);
      model.truncate(version.maxCommittedEpoch);
      e = version.maxCommittedEpoch; // uncommitted epochs are gone; continue after the committed one
      restarts++;
    }
    const oldest = version.safeEpoch > 0n ? version.safeEpoch : 1n;
    if (e >= oldest) await check(oldest + BigInt(Math.floor(random() * Number(e - oldest + 1n))), `epoch ${e} past read`);
  }
  return { compactions, restarts, reads, failedSyncs, failedCompactions, memory, version };
}

for (const seed of [1, 2, 3, 42]) {
  test(`storage model, seed ${seed}`, async () => {
    const r = await runModel(seed, 150);
    assert.ok(r.compactions > 5, `compactions ran (${r.compactions})`);
    assert.ok(r.reads > 500);
  });
}

for (const seed of [7, 8]) {
  test(`storage model with a tiny shared buffer limit (early flushes), seed ${seed}`, async () => {
    const r = await runModel(seed, 120, 1500);
    assert.ok(r.compactions > 5);
  });
}

for (const seed of [11, 12]) {
  test(`storage model over a flaky object store (failed and slow uploads, failed reads), seed ${seed}`, async () => {
    const r = await runModel(seed, 150, seed === 12 ? 1500 : undefined, 'upload:fail=0.15,put:fail=0.15,get:fail=0.01,upload:delay=1');
    assert.ok(r.failedSyncs > 3, `some checkpoints failed (${r.failedSyncs})`);
    assert.ok(r.compactions > 3, `compactions still ran (${r.compactions})`);
    assert.ok(r.reads > 400, `reads compared (${r.reads})`);
    // Every object the version references exists whole; nothing else holds data a reader could see.
    const objects = new Map((await r.memory.list('m/sst/')).map((o) => [o.path, o.size]));
    for (const s of allSsts(r.version)) assert.equal(objects.get(s.objectPath), s.fileSize, `${s.objectPath} complete`);
  });
}
