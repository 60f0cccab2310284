import type { ObjectStore } from '../object-store/object-store.ts';
import { sstObjectPath, type SstInfo } from '../version/sst-info.ts';
import { MergeIterator } from '../iterator/merge-iterator.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { SstableBuilder, type BuiltSstable } from '../sstable/sstable-builder.ts';
import { compareUserKeyOfFull } from '../key/full-key.ts';
import { taskInputSsts, type CompactTask } from './compact-task.ts';
import { VersionGc } from './version-gc.ts';

export interface CompactorOptions {
  objectStore: ObjectStore;
  /** `<cluster>`: outputs go to `<cluster>/sst/<id>.data`. */
  clusterPrefix: string;
  /** Fresh, never reused SST ids (meta's allocator). */
  allocateSstIds: (n: number) => Promise<number[]>;
  blockSizeBytes?: number;
  /** Block cache of the compactor's own reader (inputs are read once: keep it small). */
  blockCacheBytes?: number;
  /** Told of each output before it is uploaded (meta shields it from vacuum until the task commits). */
  onOutput?: (sst: SstInfo) => void;
}

/** Figures of one finished task. */
export interface CompactStats {
  inputSsts: number;
  inputBytes: number;
  inputKeys: number;
  outputSsts: number;
  outputBytes: number;
  outputKeys: number;
  elapsedMs: number;
}

/**
 * Runs compaction tasks (inputs → outputs in the object store). Knows nothing of meta: the caller
 * commits the outputs, or deletes them when the task no longer applies.
 *
 * 1. Merge every input SST in the task's priority order (MergeIterator, full-key order).
 * 2. Filter versions (VersionGc: safe epoch, bottom-level tombstones).
 * 3. Cut outputs at the first user-key boundary past the target size; upload each as soon as it is
 *    built (one upload in flight while the next SST builds).
 * On any error (e.g. a corrupted input block) the outputs uploaded so far are deleted and the error
 * is thrown: the task fails, the version is untouched.
 */
export class Compactor {
  private readonly sstables: SstableStore;

  constructor(private readonly opts: CompactorOptions) {
    this.sstables = new SstableStore(opts.objectStore, { blockCacheBytes: opts.blockCacheBytes ?? 16 * 1024 * 1024 });
  }

  async run(task: CompactTask): Promise<{ outputs: SstInfo[]; stats: CompactStats }> {
    const started = performance.now();
    const inputs = taskInputSsts(task);
    const stats: CompactStats = {
      inputSsts: inputs.length,
      inputBytes: inputs.reduce((n, s) => n + s.fileSize, 0),
      inputKeys: inputs.reduce((n, s) => n + s.keyCount, 0),
      outputSsts: 0,
      outputBytes: 0,
      outputKeys: 0,
      elapsedMs: 0,
    };
    if (task.trivialMove) return { outputs: inputs, stats: { ...stats, outputSsts: inputs.length, outputBytes: stats.inputBytes, outputKeys: stats.inputKeys } };
    const outputs: SstInfo[] = [];
    let pending: Promise<void> = Promise.resolve();
    try {
      const merged = new MergeIterator(inputs.map((s) => new SstableIterator(this.sstables, s)));
      await merged.seek(new Uint8Array(0));
      const gc = new VersionGc(task.safeEpoch, task.bottommost);
      const newBuilder = () => new SstableBuilder({ blockSizeBytes: this.opts.blockSizeBytes });
      let builder = newBuilder();
      // Cached blocks make the merge synchronous: yield now and then so a compaction sharing the
      // process (playground, meta) never stalls barriers, heartbeats or queries.
      let entries = 0;
      let lastYieldMs = performance.now();
      while (merged.valid()) {
        if ((++entries & 1023) === 0 && performance.now() - lastYieldMs > 10) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYieldMs = performance.now();
        }
        const key = merged.key();
        const value = merged.value();
        if (gc.keep(key, value)) {
          const last = builder.lastKey();
          if (last !== null && builder.estimatedSizeBytes() >= task.targetFileSizeBytes && compareUserKeyOfFull(last, key) !== 0) {
            const built = builder.finish();
            await pending; // at most one upload in flight
            pending = this.upload(built, outputs);
            builder = newBuilder();
          }
          builder.addEncoded(key, value);
        }
        const p = merged.next();
        if (p) await p;
      }
      if (!builder.isEmpty()) {
        await pending;
        pending = this.upload(builder.finish(), outputs);
      }
      await pending;
    } catch (err) {
      await pending.catch(() => {});
      await Promise.all(outputs.map((o) => this.opts.objectStore.delete(o.objectPath).catch(() => {})));
      throw err;
    }
    for (const o of outputs) {
      stats.outputBytes += o.fileSize;
      stats.outputKeys += o.keyCount;
    }
    stats.outputSsts = outputs.length;
    stats.elapsedMs = performance.now() - started;
    return { outputs, stats };
  }

  private async upload(built: BuiltSstable, outputs: SstInfo[]): Promise<void> {
    const [id] = await this.opts.allocateSstIds(1);
    const info: SstInfo = { id, objectPath: sstObjectPath(this.opts.clusterPrefix, id), ...built.info };
    this.opts.onOutput?.(info);
    await this.opts.objectStore.put(info.objectPath, built.data);
    outputs.push(info);
  }
}
