import type { ObjectStore } from '../object-store/object-store.ts';
import { emptyVersion, type HummockVersion } from '../version/version.ts';
import type { SstInfo } from '../version/sst-info.ts';
import { SharedBuffer } from '../memtable/shared-buffer.ts';
import type { SharedBufferBatch } from '../memtable/shared-buffer-batch.ts';
import { MergeIterator } from '../iterator/merge-iterator.ts';
import { UserIterator } from '../iterator/user-iterator.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { SstableWriter } from '../sstable/sstable-writer.ts';
import { compareFullKeys } from '../key/full-key.ts';
import { isTombstone, valuePayload } from '../key/value.ts';
import { HummockReader, scanUserIterator } from './hummock-reader.ts';
import { PinTracker, type PinReport } from '../version/pin-tracker.ts';
import { getHeapStatistics } from 'node:v8';

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
  /** SST meta (index + bloom filter) cache (default 16 MiB). */
  metaCacheBytes?: number;
  /**
   * When unsynced shared-buffer data passes this many bytes, it is flushed to SSTs early (kept as
   * uncommitted local SSTs until the checkpoint that covers them). Default: 1/4 of the V8 heap limit.
   */
  sharedBufferLimitBytes?: number;
  /** SST bytes collected before they are sent as one upload part (default 8 MiB; see SstableWriter). */
  uploadPartBytes?: number;
  /**
   * Metas (block index + bloom filter) of a newly installed version's SSTs loaded in the
   * background, this many at a time (default 8; 0 = only on demand). See `updateVersion`.
   */
  metaPrefetchConcurrency?: number;
  logger?: { debug(o: object, msg?: string): void; info(o: object, msg?: string): void; warn?(o: object, msg?: string): void };
}

/** SSTs flushed early from one epoch's batches, not yet committed. */
interface LocalSst {
  epoch: bigint;
  info: SstInfo;
}

/**
 * The per-node state store executors use.
 *
 * 1. Writes of an epoch arrive as immutable batches in the shared buffer (`ingestBatch`).
 * 2. At a checkpoint, `sync(epoch)` builds SSTs from unsynced batches <= epoch and uploads them;
 *    the caller reports them to meta, which commits them into a new version.
 * 3. `updateVersion` installs that version; batches it now covers leave the buffer.
 * 4. Memory limit: when unsynced data passes `sharedBufferLimitBytes`, every unsynced batch is
 *    flushed early, one SST set per epoch (so each set belongs to exactly one checkpoint), and
 *    leaves memory; these local SSTs serve reads and are reported by the first sync covering
 *    their epoch, listed after that sync's own SSTs and newest epoch first: for any user key the
 *    first SST of the list holding it has its newest versions (what HummockReader relies on).
 * Reads see the buffer (newest first), then local SSTs, over the pinned committed version.
 */
export class HummockStateStore {
  private readonly buffer = new SharedBuffer();
  private readonly sstables: SstableStore;
  private reader: HummockReader;
  /** Early-flushed SSTs, newest epoch first. */
  private localSsts: LocalSst[] = [];
  /** Reads over `localSsts` (each its own L0 sub-level, so newest first). */
  private localReader: HummockReader | null = null;
  private flushing: Promise<void> | null = null;
  /** The background meta prefetch, and whether a newer version arrived while it ran. */
  private prefetching: Promise<void> | null = null;
  private prefetchAgain = false;
  private readonly sharedBufferLimitBytes: number;
  /** Versions open scans still read (reported to meta, which keeps their objects). */
  private readonly pins: PinTracker;

  constructor(private readonly opts: StateStoreOptions) {
    this.sstables = new SstableStore(opts.objectStore, { blockCacheBytes: opts.blockCacheBytes, metaCacheBytes: opts.metaCacheBytes });
    this.reader = new HummockReader(emptyVersion(), this.sstables);
    this.sharedBufferLimitBytes = opts.sharedBufferLimitBytes ?? Math.floor(getHeapStatistics().heap_size_limit / 4);
    this.pins = new PinTracker(undefined, (p) => opts.logger?.warn?.({ versionId: p.versionId, ageMs: p.ageMs }, 'a state store scan held a version pin too long; no longer counted'));
  }

  /**
   * What this node tells meta: the oldest version an open scan reads. Scans pin the version they
   * started on (compaction may replace its SSTs meanwhile); point gets are short and rely on the
   * vacuum grace period instead. Compute nodes read at or above the committed epoch, so the epoch
   * part is the version's own.
   */
  pinReport(): PinReport {
    const v = this.reader.version;
    return this.pins.report({ minVersionId: v.id, minEpoch: v.maxCommittedEpoch });
  }

  /** Writes of one epoch (null value = delete). Later writes of a key within `kvs` win. */
  ingestBatch(epoch: bigint, kvs: Array<[Uint8Array, Uint8Array | null]>): void {
    this.buffer.ingestBatch(epoch, kvs);
    if (this.flushing === null && this.buffer.unsyncedSizeBytes() > this.sharedBufferLimitBytes) {
      this.flushing = this.flushEarly()
        .catch((err) => this.opts.logger?.warn?.({ err }, 'early shared buffer flush failed; data stays in memory'))
        .finally(() => (this.flushing = null));
    }
  }

  /** Newest visible row of `userKey` at `epoch` (buffer, local SSTs, committed version), or null. */
  async get(userKey: Uint8Array, epoch: bigint): Promise<Uint8Array | null> {
    const reader = this.reader;
    const local = this.localReader;
    let v = this.buffer.getEncoded(userKey, epoch);
    if (v === undefined && local !== null) v = await local.getEncoded(userKey, epoch);
    if (v === undefined) v = await reader.getEncoded(userKey, epoch);
    return v === undefined || isTombstone(v) ? null : valuePayload(v);
  }

  /** Ascending scan of visible [userKey, row] in [start, end) (end null = unbounded) at `epoch`. */
  iter(start: Uint8Array, end: Uint8Array | null, epoch: bigint): AsyncGenerator<[Uint8Array, Uint8Array]> {
    // Snapshot the sources now: later ingests/version changes do not affect this scan.
    const sources = [
      ...this.buffer.readable(epoch).map((b) => b.iter()),
      ...(this.localReader?.sstIterators(start, end, epoch) ?? []),
      ...this.reader.sstIterators(start, end, epoch),
    ];
    const v = this.reader.version;
    const release = this.pins.pin(v.id, v.maxCommittedEpoch);
    return scanUserIterator(new UserIterator(new MergeIterator(sources), epoch, start, end), release);
  }

  /** Flushes every unsynced batch to local SSTs, one set per epoch, and frees their memory. */
  private async flushEarly(): Promise<void> {
    const batches = this.buffer.unsynced();
    if (batches.length === 0) return;
    const byEpoch = new Map<bigint, SharedBufferBatch[]>();
    for (const b of batches) byEpoch.set(b.epoch, [...(byEpoch.get(b.epoch) ?? []), b]);
    for (const b of batches) b.syncState = 'syncing';
    try {
      const flushed: LocalSst[] = [];
      for (const [epoch, group] of byEpoch) for (const info of await this.upload(group)) flushed.push({ epoch, info });
      for (const b of batches) b.syncState = 'synced';
      // Same epoch: the later flush first (it holds the later writes of this node).
      this.setLocalSsts([...flushed, ...this.localSsts].sort((a, b) => (a.epoch === b.epoch ? 0 : a.epoch > b.epoch ? -1 : 1)));
      this.buffer.remove(batches);
      this.opts.logger?.info({ batches: batches.length, ssts: flushed.length, bufferBytes: this.buffer.sizeBytes() }, 'shared buffer over its limit: flushed early');
    } catch (err) {
      for (const b of batches) if (b.syncState === 'syncing') b.syncState = 'unsynced';
      throw err;
    }
  }

  private setLocalSsts(ssts: LocalSst[]): void {
    this.localSsts = ssts;
    this.localReader = ssts.length === 0 ? null : new HummockReader({ ...emptyVersion(), l0: ssts.map((s, i) => ({ id: ssts.length - i, ssts: [s.info] })).reverse() }, this.sstables);
  }

  /**
   * Merges `batches` (newest first = priority) into SSTs split at user-key boundaries, streamed to
   * the object store while they are built (SstableWriter). On failure nothing stays behind.
   */
  private async upload(batches: SharedBufferBatch[]): Promise<SstInfo[]> {
    const writer = new SstableWriter({
      objectStore: this.opts.objectStore,
      clusterPrefix: this.opts.clusterPrefix,
      allocateSstIds: this.opts.allocateSstIds,
      targetFileSizeBytes: this.opts.sstTargetBytes ?? DEFAULT_SST_TARGET_BYTES,
      blockSizeBytes: this.opts.blockSizeBytes,
      uploadPartBytes: this.opts.uploadPartBytes,
    });
    try {
      const merged = new MergeIterator(batches.map((b) => b.iter()));
      await merged.seek(new Uint8Array(0));
      let prev: Uint8Array | null = null;
      while (merged.valid()) {
        const key = merged.key();
        // Equal full keys (same key, same epoch, two batches): the first one is the newest write.
        if (prev === null || compareFullKeys(prev, key) !== 0) {
          const w = writer.add(key, merged.value());
          if (w) await w;
          prev = key;
        }
        merged.next(); // batch iterators never fetch
      }
      return await writer.finish();
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }

  /**
   * Builds and uploads SSTs from every unsynced batch with epoch <= `epoch`; returns their infos
   * (empty if there was nothing). On failure the batches stay unsynced in the buffer.
   */
  async sync(epoch: bigint): Promise<SstInfo[]> {
    while (this.flushing) await this.flushing;
    // Local SSTs of epochs this checkpoint covers, newest first, go after this sync's own SSTs.
    const local = this.localSsts.filter((s) => s.epoch <= epoch).map((s) => s.info);
    const batches = this.buffer.unsyncedUpTo(epoch);
    if (batches.length === 0) return local;
    for (const b of batches) b.syncState = 'syncing';
    try {
      const infos = await this.upload(batches);
      for (const b of batches) b.syncState = 'synced';
      this.opts.logger?.debug({ epoch: epoch.toString(), batches: batches.length, ssts: infos.map((s) => s.id), local: local.length }, 'synced shared buffer');
      return [...infos, ...local];
    } catch (err) {
      for (const b of batches) if (b.syncState === 'syncing') b.syncState = 'unsynced';
      throw err;
    }
  }

  /** Installs a newer committed version and drops the synced batches it covers. */
  updateVersion(v: HummockVersion): void {
    if (v.id < this.reader.version.id) {
      this.opts.logger?.info({ current: this.reader.version.id, offered: v.id }, 'ignoring older hummock version');
      return;
    }
    this.reader = new HummockReader(v, this.sstables);
    this.buffer.dropCommitted(v.maxCommittedEpoch);
    if (this.localSsts.some((s) => s.epoch <= v.maxCommittedEpoch)) this.setLocalSsts(this.localSsts.filter((s) => s.epoch > v.maxCommittedEpoch));
    this.prefetchMetas();
  }

  /**
   * Loads the metas of the current version's SSTs that are not cached yet, in the background, in
   * read order (L0 newest first, then L1..L6), within 3/4 of the meta cache. A point get walks every
   * L0 sub-level and level whose key range covers its key and needs each SST's bloom filter: with
   * cold metas that is two ranged GETs per SST, one after the other, on the first read. Without
   * this, the first state reads after a recovery (actors rebuilt on a node that restarted, or reads
   * of new compaction outputs) paid for a whole version's metas: 1.5 s on s3rver at 3 GiB of
   * state. Metas are a small fraction of the data (a bloom filter and a block index per SST); no
   * data block is fetched ahead.
   */
  private prefetchMetas(): void {
    const concurrency = this.opts.metaPrefetchConcurrency ?? 8;
    if (concurrency <= 0) return;
    if (this.prefetching) {
      this.prefetchAgain = true;
      return;
    }
    this.prefetching = (async () => {
      do {
        this.prefetchAgain = false;
        const v = this.reader.version;
        const ssts = [...[...v.l0].reverse().flatMap((sl) => sl.ssts), ...v.levels.flat()];
        await this.sstables.prefetchMetas(ssts, { concurrency, budgetBytes: Math.floor((this.sstables.metaCache.capacityBytes * 3) / 4) });
      } while (this.prefetchAgain);
    })()
      .catch((err) => this.opts.logger?.warn?.({ err }, 'SST meta prefetch failed'))
      .finally(() => (this.prefetching = null));
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
    // Their objects become orphans: meta's vacuum deletes them after its grace period.
    this.setLocalSsts(this.localSsts.filter((s) => s.epoch <= this.reader.version.maxCommittedEpoch));
  }

  /** Bytes flushed early and not yet committed (local SSTs). */
  localSstBytes(): number {
    return this.localSsts.reduce((n, s) => n + s.info.fileSize, 0);
  }

  /** Bytes held by the shared buffer. */
  /** Cache and buffer figures for metrics: block/meta cache hits, misses, sizes; shared buffer bytes. */
  stats(): { blockCache: ReturnType<SstableStore['blockCache']['stats']>; metaCache: ReturnType<SstableStore['metaCache']['stats']>; sharedBufferBytes: number } {
    return { blockCache: this.sstables.blockCache.stats(), metaCache: this.sstables.metaCache.stats(), sharedBufferBytes: this.bufferSizeBytes() };
  }

  bufferSizeBytes(): number {
    return this.buffer.sizeBytes();
  }
}
