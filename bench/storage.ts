/**
 * Storage engine figures against a local fs object store and s3rver (S3 API on loopback):
 * write throughput into checkpoints, compaction throughput, point-get p50/p99 with a cold and a
 * warm block cache, full-scan throughput, and block compression (lz4 vs none).
 *
 *   node --import tsx bench/storage.ts            # ~300k keys per backend, well under 2 minutes
 *   node --import tsx bench/storage.ts --large    # 10.6M keys x 400 B random values: >= 4 GiB of SSTs
 *                                                 # (16x the 256 MiB block cache), fs and s3rver
 *   BENCH_KEYS=1000000 BENCH_BACKENDS=fs node --import tsx bench/storage.ts
 *
 * Every run also drives a steady write load through the real compaction picker and prints the
 * largest L0 sub-level count and the write amplification (bytes written by flushes + compactions
 * per byte flushed): both must stay bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  FsObjectStore, HummockStateStore, S3ObjectStore, applyVersionDelta, emptyVersion, userKey, type HummockVersion, type ObjectStore,
} from '@tributary/storage';
import { Compactor, DEFAULT_COMPACTION_CONFIG, apply, pick, pickManual } from '@tributary/storage/compactor';

const LARGE = process.argv.includes('--large');
const KEYS = Number(process.env.BENCH_KEYS ?? (LARGE ? 10_600_000 : 300_000));
const CHECKPOINTS = LARGE ? 100 : 10;
/** Large runs use random (incompressible) values so the SSTs really hold gigabytes. */
const VALUE_BYTES = LARGE ? 400 : 100;
const GETS = 2000;
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'fs,s3rver').split(',');
const BLOCK_CACHE_BYTES = 256 * 1024 * 1024;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const mb = (bytes: number) => bytes / 1048576;

function key(i: number): Uint8Array {
  const pk = new Uint8Array(9);
  pk[0] = 1;
  new DataView(pk.buffer).setBigUint64(1, BigInt(i));
  return userKey(1, i % 256, pk);
}

let noise = 0x9e3779b9;
function value(i: number, epoch: number): Uint8Array {
  const v = Buffer.alloc(VALUE_BYTES, 0);
  const n = v.write(`{"id":${i},"user":"user_${i % 1000}","amount":${(i * 37) % 10000},"epoch":${epoch}}`);
  if (LARGE) {
    for (let j = n; j + 4 <= VALUE_BYTES; j += 4) {
      noise ^= noise << 13;
      noise ^= noise >>> 17;
      noise ^= noise << 5;
      v.writeInt32LE(noise | 0, j);
    }
  }
  return v;
}

async function runBackend(name: string, objectStore: ObjectStore): Promise<void> {
  let nextId = 1;
  const allocateSstIds = async (n: number) => Array.from({ length: n }, () => nextId++);
  const opts = { objectStore, clusterPrefix: 'bench', allocateSstIds, blockCacheBytes: BLOCK_CACHE_BYTES };
  const store = new HummockStateStore(opts);
  let version: HummockVersion = emptyVersion();

  // 1. Writes: KEYS keys spread over CHECKPOINTS epochs, each epoch synced and committed.
  const perEpoch = Math.ceil(KEYS / CHECKPOINTS);
  let rawBytes = 0;
  let t0 = performance.now();
  for (let e = 1; e <= CHECKPOINTS; e++) {
    const epoch = BigInt(e) << 16n;
    const kvs: [Uint8Array, Uint8Array][] = [];
    for (let i = (e - 1) * perEpoch; i < Math.min(KEYS, e * perEpoch); i++) {
      const kv: [Uint8Array, Uint8Array] = [key(i), value(i, e)];
      rawBytes += kv[0].length + 8 + kv[1].length;
      kvs.push(kv);
    }
    store.ingestBatch(epoch, kvs);
    const ssts = await store.sync(epoch);
    version = applyVersionDelta(version, { id: version.id + 1, prevId: version.id, maxCommittedEpoch: epoch, safeEpoch: 0n, newL0SubLevel: { id: version.id + 1, ssts } });
    store.updateVersion(version);
  }
  const writeS = (performance.now() - t0) / 1000;
  const l0Bytes = version.l0.flatMap((s) => s.ssts).reduce((n, s) => n + s.fileSize, 0);
  console.log(`[${name}] write: ${KEYS} keys in ${CHECKPOINTS} checkpoints, ${(KEYS / writeS).toFixed(0)} keys/s, ${(mb(rawBytes) / writeS).toFixed(1)} MB/s raw (${mb(rawBytes).toFixed(1)} MiB raw -> ${mb(l0Bytes).toFixed(1)} MiB of SSTs, ${(l0Bytes / BLOCK_CACHE_BYTES).toFixed(1)}x the block cache)`);

  // 2. Compaction: all of L0 into L1.
  const compactor = new Compactor({ objectStore, clusterPrefix: 'bench', allocateSstIds });
  const task = { ...pickManual(version, { ...DEFAULT_COMPACTION_CONFIG, maxCompactionBytes: Number.MAX_SAFE_INTEGER })!, safeEpoch: version.maxCommittedEpoch };
  const { outputs, stats } = await compactor.run(task);
  version = applyVersionDelta(version, apply(version, task, outputs));
  console.log(`[${name}] compaction: ${stats.inputSsts} SSTs (${mb(stats.inputBytes).toFixed(1)} MiB, ${stats.inputKeys} keys) -> ${stats.outputSsts} SSTs in ${(stats.elapsedMs / 1000).toFixed(2)} s: ${(mb(stats.inputBytes) / (stats.elapsedMs / 1000)).toFixed(1)} MB/s, ${(stats.inputKeys / (stats.elapsedMs / 1000)).toFixed(0)} keys/s`);

  // 3. Point gets: without a block cache (every get fetches, checks and decompresses its block;
  // SST metas are cached), then with a warm 256 MiB cache (second pass over the same keys).
  const cold = new HummockStateStore({ ...opts, blockCacheBytes: 1 });
  cold.updateVersion(version);
  const reader = new HummockStateStore(opts);
  reader.updateVersion(version);
  const picks = Array.from({ length: GETS }, () => Math.floor(Math.random() * KEYS));
  for (const i of picks.slice(0, 10)) await cold.get(key(i), version.maxCommittedEpoch); // load SST metas
  for (const i of picks) await reader.get(key(i), version.maxCommittedEpoch);
  for (const [phase, st] of [['cold', cold], ['warm', reader]] as const) {
    const lat: number[] = [];
    for (const i of picks) {
      const t = performance.now();
      const v = await st.get(key(i), version.maxCommittedEpoch);
      lat.push(performance.now() - t);
      if (v === null) throw new Error(`key ${i} missing`);
    }
    console.log(`[${name}] point get (${phase} cache): p50 ${pct(lat, 50).toFixed(3)} ms, p99 ${pct(lat, 99).toFixed(3)} ms`);
  }

  // 4. Full scan.
  t0 = performance.now();
  let n = 0;
  for await (const _ of reader.iter(userKey(0, 0, new Uint8Array()), null, version.maxCommittedEpoch)) n++;
  const scanS = (performance.now() - t0) / 1000;
  if (n !== KEYS) throw new Error(`scan saw ${n} keys, expected ${KEYS}`);
  console.log(`[${name}] scan: ${(n / scanS).toFixed(0)} keys/s, ${(mb(rawBytes) / scanS).toFixed(1)} MB/s raw`);
}

/**
 * Steady load: checkpoints of updates to random keys of a fixed key space, the real picker run
 * after each (as meta does). Prints the largest L0 sub-level count and the write amplification.
 */
async function steadyLoad(name: string, objectStore: ObjectStore): Promise<void> {
  let nextId = 1_000_000;
  const allocateSstIds = async (n: number) => Array.from({ length: n }, () => nextId++);
  const config = { ...DEFAULT_COMPACTION_CONFIG, l1TargetBytes: 4 * 1024 * 1024, targetFileSizeBytes: 2 * 1024 * 1024 };
  const store = new HummockStateStore({ objectStore, clusterPrefix: 'steady', allocateSstIds });
  const compactor = new Compactor({ objectStore, clusterPrefix: 'steady', allocateSstIds });
  let version: HummockVersion = emptyVersion();
  const CPS = LARGE ? 300 : 120;
  const PER_CP = 5000;
  const SPACE = 200_000;
  let flushed = 0;
  let compacted = 0;
  let maxL0 = 0;
  let tasks = 0;
  const t0 = performance.now();
  for (let e = 1; e <= CPS; e++) {
    const epoch = BigInt(e) << 16n;
    const kvs: [Uint8Array, Uint8Array][] = [];
    for (let n = 0; n < PER_CP; n++) {
      const i = Math.floor(Math.random() * SPACE);
      kvs.push([key(i), value(i, e)]);
    }
    store.ingestBatch(epoch, kvs);
    const ssts = await store.sync(epoch);
    flushed += ssts.reduce((n, s) => n + s.fileSize, 0);
    version = applyVersionDelta(version, { id: version.id + 1, prevId: version.id, maxCommittedEpoch: epoch, safeEpoch: version.safeEpoch, newL0SubLevel: { id: version.id + 1, ssts } });
    maxL0 = Math.max(maxL0, version.l0.length);
    for (let task = pick(version, config); task; task = pick(version, config)) {
      const t = { ...task, safeEpoch: epoch };
      const { outputs, stats } = await compactor.run(t);
      if (!t.trivialMove) compacted += stats.outputBytes;
      version = applyVersionDelta(version, apply(version, t, outputs));
      tasks++;
    }
    store.updateVersion(version);
  }
  const s = (performance.now() - t0) / 1000;
  const levels = version.levels.map((l, i) => `L${i + 1}:${mb(l.reduce((n, x) => n + x.fileSize, 0)).toFixed(1)}`).filter((x) => !x.endsWith(':0.0')).join(' ');
  console.log(`[${name}] steady load: ${CPS} checkpoints x ${PER_CP} updates over ${SPACE} keys in ${s.toFixed(1)} s, ${tasks} compaction tasks; L0 sub-levels max ${maxL0} (trigger ${config.l0SubLevelCompactTrigger}), now ${version.l0.length}; write amplification ${((flushed + compacted) / flushed).toFixed(2)} (flushed ${mb(flushed).toFixed(1)} MiB, compaction wrote ${mb(compacted).toFixed(1)} MiB); levels MiB ${levels}`);
}

/** Block compression: SST size and build/read time of the same 200k keys, lz4 vs none. */
async function compressionFigures(): Promise<void> {
  const { SstableBuilder, SstableStore, SstableIterator, MemoryObjectStore, fullKey } = await import('@tributary/storage');
  for (const compression of ['none', 'lz4'] as const) {
    let t = performance.now();
    const b = new SstableBuilder({ compression });
    for (let i = 0; i < 200_000; i++) b.add(fullKey(key(i * 256), 1n << 16n), value(i, 1)); // one vnode: ascending
    const built = b.finish();
    const buildMs = performance.now() - t;
    const store = new MemoryObjectStore();
    await store.put('x', built.data);
    t = performance.now();
    const it = new SstableIterator(new SstableStore(store), { id: 1, objectPath: 'x', ...built.info });
    await it.seek(new Uint8Array(0));
    while (it.valid()) {
      const p = it.next();
      if (p) await p;
    }
    console.log(`[compression ${compression}] 200000 keys: SST ${mb(built.data.length).toFixed(1)} MiB, build ${buildMs.toFixed(0)} ms, cold read ${(performance.now() - t).toFixed(0)} ms`);
  }
}

async function startS3rver(dir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent', '--configure-bucket', 'bench'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on ([\d.]+):(\d+)/.exec(out);
      if (m) resolve(`http://${m[1]}:${m[2]}`);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${out}`)));
  });
  return { child, endpoint };
}

async function main(): Promise<void> {
  process.env.TRIBUTARY_LOG_LEVEL ??= 'warn';
  console.log(`storage bench: ${KEYS} keys x ${VALUE_BYTES} B values, block compression lz4 (default)`);
  await compressionFigures();
  for (const backend of BACKENDS) {
    const dir = mkdtempSync(join(tmpdir(), `tributary-bench-storage-${backend}-`));
    try {
      if (backend === 'fs') {
        await runBackend('fs', new FsObjectStore(dir));
        await steadyLoad('fs', new FsObjectStore(dir));
      }
      else if (backend === 's3rver') {
        const { child, endpoint } = await startS3rver(dir);
        try {
          const store = new S3ObjectStore({ bucket: 'bench', prefix: 'p', endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
          await runBackend('s3rver', store);
          if (!LARGE) await steadyLoad('s3rver', store);
          await store.close?.();
        } finally {
          child.kill();
        }
      } else throw new Error(`unknown backend ${backend}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
