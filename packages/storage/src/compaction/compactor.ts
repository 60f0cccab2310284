import type { ObjectStore } from '../object-store/object-store.ts';
import type { SstInfo } from '../version/sst-info.ts';
import { MergeIterator } from '../iterator/merge-iterator.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { SstableWriter } from '../sstable/sstable-writer.ts';
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
  /** Told of each output object before its upload starts (meta shields it from vacuum until the task commits). */
  onOutput?: (objectPath: string) => void;
}

/** Bytes per ranged GET of a compaction input (two runs per input in memory at most). */
const COMPACTION_READAHEAD_BYTES = 1024 * 1024;

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
 * 2. Filter versions (VersionGc: safe epoch, bottom-level tombstones) and every key of a dropped
 *    table (`task.droppedTableIds`).
 * 3. Write outputs with an SstableWriter: cut at the first user-key boundary past the target size,
 *    streamed to the object store while built (multipart on S3), never whole in memory.
 * On any error (e.g. a corrupted input block) the outputs uploaded so far are deleted and the error
 * is thrown: the task fails, the version is untouched.
 */
/** The table id a full key starts with (u32 big-endian). */
function tableIdOfKey(key: Uint8Array): number {
  return ((key[0] << 24) | (key[1] << 16) | (key[2] << 8) | key[3]) >>> 0;
}

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
    const writer = new SstableWriter({
      objectStore: this.opts.objectStore,
      clusterPrefix: this.opts.clusterPrefix,
      allocateSstIds: this.opts.allocateSstIds,
      targetFileSizeBytes: task.targetFileSizeBytes,
      blockSizeBytes: this.opts.blockSizeBytes,
      onObject: this.opts.onOutput,
    });
    let outputs: SstInfo[];
    try {
      // Inputs are read front to back once: fetch runs of blocks ahead, outside the block cache.
      const merged = new MergeIterator(inputs.map((s) => new SstableIterator(this.sstables, s, { readaheadBytes: COMPACTION_READAHEAD_BYTES })));
      await merged.seek(new Uint8Array(0));
      const gc = new VersionGc(task.safeEpoch, task.bottommost);
      const dropped = new Set(task.droppedTableIds ?? []);
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
        if (gc.keep(key, value) && (dropped.size === 0 || !dropped.has(tableIdOfKey(key)))) {
          const w = writer.add(key, value);
          if (w) await w;
        }
        const p = merged.next();
        if (p) await p;
      }
      outputs = await writer.finish();
    } catch (err) {
      await writer.abort();
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
}
