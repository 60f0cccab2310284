import type { ObjectStore } from '../object-store/object-store.ts';
import { emptyVersion, type HummockVersion } from '../version/version.ts';
import { sstObjectPath, type SstInfo } from '../version/sst-info.ts';
import { SharedBuffer } from '../memtable/shared-buffer.ts';
import type { SharedBufferBatch } from '../memtable/shared-buffer-batch.ts';
import { MergeIterator } from '../iterator/merge-iterator.ts';
import { UserIterator } from '../iterator/user-iterator.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { SstableBuilder, type BuiltSstable } from '../sstable/sstable-builder.ts';
import { compareFullKeys, compareUserKeyOfFull } from '../key/full-key.ts';
import { isTombstone, valuePayload } from '../key/value.ts';
import { HummockReader, scanUserIterator } from './hummock-reader.ts';

export const DEFAULT_SST_TARGET_BYTES = 32 * 1024 * 1024;

export interface StateStoreOptions {
  objectStore: ObjectStore;
  /** Object path prefix of this cluster (`<cluster>`); SSTs go to `<cluster>/sst/<id>.data`. */
  clusterPrefix: string;
  /** Allocates `n` fresh, never reused SST ids (from meta). */
  allocateSstIds: (n: number) => Promise<number[]>;
  sstTargetBytes?: number;
  blockSizeBytes?: number;
  blockCacheBytes?: number;
  logger?: { debug(o: object, msg?: string): void; info(o: object, msg?: string): void };
}

/**
 * The per-node state store executors use.
 *
 * 1. Writes of an epoch arrive as immutable batches in the shared buffer (`ingestBatch`).
 * 2. At a checkpoint, `sync(epoch)` builds SSTs from unsynced batches <= epoch and uploads them;
 *    the caller reports them to meta, which commits them into a new version.
 * 3. `updateVersion` installs that version; batches it now covers leave the buffer.
 * Reads see the buffer (newest first) over the pinned committed version.
 */
export class HummockStateStore {
  private readonly buffer = new SharedBuffer();
  private readonly sstables: SstableStore;
  private reader: HummockReader;

  constructor(private readonly opts: StateStoreOptions) {
    this.sstables = new SstableStore(opts.objectStore, { blockCacheBytes: opts.blockCacheBytes });
    this.reader = new HummockReader(emptyVersion(), this.sstables);
  }

  /** Writes of one epoch (null value = delete). Later writes of a key within `kvs` win. */
  ingestBatch(epoch: bigint, kvs: Array<[Uint8Array, Uint8Array | null]>): void {
    this.buffer.ingestBatch(epoch, kvs);
  }

  /** Newest visible row of `userKey` at `epoch` (buffer first, then the committed version), or null. */
  async get(userKey: Uint8Array, epoch: bigint): Promise<Uint8Array | null> {
    const reader = this.reader;
    const v = this.buffer.getEncoded(userKey, epoch) ?? (await reader.getEncoded(userKey, epoch));
    return v === undefined || isTombstone(v) ? null : valuePayload(v);
  }

  /** Ascending scan of visible [userKey, row] in [start, end) (end null = unbounded) at `epoch`. */
  iter(start: Uint8Array, end: Uint8Array | null, epoch: bigint): AsyncGenerator<[Uint8Array, Uint8Array]> {
    // Snapshot the sources now: later ingests/version changes do not affect this scan.
    const sources = [...this.buffer.readable(epoch).map((b) => b.iter()), ...this.reader.sstIterators(start, end, epoch)];
    return scanUserIterator(new UserIterator(new MergeIterator(sources), epoch, start, end));
  }

  /**
   * Builds and uploads SSTs from every unsynced batch with epoch <= `epoch`; returns their infos
   * (empty if there was nothing). On failure the batches stay unsynced in the buffer.
   */
  async sync(epoch: bigint): Promise<SstInfo[]> {
    const batches = this.buffer.unsyncedUpTo(epoch);
    if (batches.length === 0) return [];
    for (const b of batches) b.syncState = 'syncing';
    try {
      const built = await this.buildSsts(batches);
      const ids = await this.opts.allocateSstIds(built.length);
      if (ids.length !== built.length) throw new Error(`assertion failed: asked for ${built.length} SST ids, got ${ids.length}`);
      const infos = built.map((b, i): SstInfo => ({ id: ids[i], objectPath: sstObjectPath(this.opts.clusterPrefix, ids[i]), ...b.info }));
      await Promise.all(infos.map((info, i) => this.opts.objectStore.put(info.objectPath, built[i].data)));
      for (const b of batches) b.syncState = 'synced';
      this.opts.logger?.debug({ epoch: epoch.toString(), batches: batches.length, ssts: infos.map((s) => s.id) }, 'synced shared buffer');
      return infos;
    } catch (err) {
      for (const b of batches) if (b.syncState === 'syncing') b.syncState = 'unsynced';
      throw err;
    }
  }

  /** Merges the batches (newest first = priority) into SSTs split at user-key boundaries. */
  private async buildSsts(batches: SharedBufferBatch[]): Promise<BuiltSstable[]> {
    const targetBytes = this.opts.sstTargetBytes ?? DEFAULT_SST_TARGET_BYTES;
    const newBuilder = () => new SstableBuilder({ blockSizeBytes: this.opts.blockSizeBytes });
    const merged = new MergeIterator(batches.map((b) => b.iter()));
    await merged.seek(new Uint8Array(0));
    const out: BuiltSstable[] = [];
    let builder = newBuilder();
    let prev: Uint8Array | null = null;
    while (merged.valid()) {
      const key = merged.key();
      // Equal full keys (same key, same epoch, two batches): the first one is the newest write.
      if (prev === null || compareFullKeys(prev, key) !== 0) {
        if (prev !== null && builder.estimatedSizeBytes() >= targetBytes && compareUserKeyOfFull(prev, key) !== 0) {
          out.push(builder.finish());
          builder = newBuilder();
        }
        builder.addEncoded(key, merged.value());
        prev = key;
      }
      merged.next(); // batch iterators never fetch
    }
    if (!builder.isEmpty()) out.push(builder.finish());
    return out;
  }

  /** Installs a newer committed version and drops the synced batches it covers. */
  updateVersion(v: HummockVersion): void {
    if (v.id < this.reader.version.id) {
      this.opts.logger?.info({ current: this.reader.version.id, offered: v.id }, 'ignoring older hummock version');
      return;
    }
    this.reader = new HummockReader(v, this.sstables);
    this.buffer.dropCommitted(v.maxCommittedEpoch);
  }

  committedVersion(): HummockVersion {
    return this.reader.version;
  }

  /** A read-only reader pinned to the current committed version. */
  committedReader(): HummockReader {
    return this.reader;
  }

  /** Recovery: discards every buffered batch with epoch > the committed epoch. */
  clearUncommitted(): void {
    this.buffer.dropAbove(this.reader.version.maxCommittedEpoch);
  }

  /** Bytes held by the shared buffer. */
  bufferSizeBytes(): number {
    return this.buffer.sizeBytes();
  }
}
