import { crc32 } from 'node:zlib';
import type { ObjectStore } from '../object-store/object-store.ts';
import type { SstInfo } from '../version/sst-info.ts';
import { Block } from './block.ts';
import { decodeStoredBlock } from './block-codec.ts';
import { decodeFooter, decodeMeta, type SstableMeta } from './sstable-meta.ts';
import { FOOTER_LEN } from './format.ts';
import { BlockCache, DEFAULT_BLOCK_CACHE_BYTES } from '../cache/block-cache.ts';
import { MetaCache, DEFAULT_META_CACHE_BYTES } from '../cache/meta-cache.ts';
import { compareFullKeys } from '../key/full-key.ts';
import { corruptedError } from '../storage-errors.ts';

export interface SstableStoreOptions {
  blockCacheBytes?: number;
  metaCacheBytes?: number;
}

/**
 * Reads SSTables from an object store: the footer and meta block once per SST (meta cache), data
 * blocks by ranged GET (block cache). Every read is length- and checksum-checked; corruption
 * throws StorageError(DataCorrupted) naming the object.
 */
export class SstableStore {
  readonly blockCache: BlockCache;
  readonly metaCache: MetaCache;

  constructor(
    readonly objectStore: ObjectStore,
    opts: SstableStoreOptions = {},
  ) {
    this.blockCache = new BlockCache(opts.blockCacheBytes ?? DEFAULT_BLOCK_CACHE_BYTES);
    this.metaCache = new MetaCache(opts.metaCacheBytes ?? DEFAULT_META_CACHE_BYTES);
  }

  /** The SST's meta (block index, bloom filter, key range), loaded once. */
  meta(sst: SstInfo): Promise<SstableMeta> {
    return this.metaCache.getOrLoad(sst.id, () => this.loadMeta(sst));
  }

  /**
   * Loads the metas of `ssts` that are not cached, in the given order, `concurrency` at a time;
   * stops starting loads once the cached metas of `ssts` reach `budgetBytes`, so a set whose metas
   * do not fit the cache is not cycled through it. A failed load is skipped (the next read that
   * needs that meta tries again). Returns how many metas it loaded.
   */
  async prefetchMetas(ssts: readonly SstInfo[], opts: { concurrency: number; budgetBytes: number }): Promise<number> {
    let usedBytes = 0;
    const missing: SstInfo[] = [];
    for (const sst of ssts) {
      const cached = this.metaCache.peek(sst.id); // runs at every version: must not mark every meta used
      if (cached) usedBytes += cached.sizeBytes;
      else missing.push(sst);
    }
    let next = 0;
    let loaded = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length && usedBytes < opts.budgetBytes) {
        const sst = missing[next++];
        try {
          usedBytes += (await this.meta(sst)).sizeBytes;
          loaded++;
        } catch {
          // Left to the read that needs it, which reports the error.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
    return loaded;
  }

  /** Meta if already cached (no I/O). */
  cachedMeta(sst: SstInfo): SstableMeta | undefined {
    return this.metaCache.get(sst.id);
  }

  private async loadMeta(sst: SstInfo): Promise<SstableMeta> {
    const path = sst.objectPath;
    if (sst.fileSize < FOOTER_LEN) throw corruptedError(path, `recorded size ${sst.fileSize} is smaller than a footer`);
    const footerBytes = await this.objectStore.getRange(path, sst.fileSize - FOOTER_LEN, FOOTER_LEN);
    const footer = decodeFooter(footerBytes, path, sst.fileSize);
    const metaBytes = await this.objectStore.getRange(path, footer.metaOffset, footer.metaLength);
    if (metaBytes.length !== footer.metaLength) throw corruptedError(path, 'truncated meta block');
    if (crc32(metaBytes) !== footer.metaCrc) throw corruptedError(path, 'meta block checksum mismatch');
    return decodeMeta(metaBytes, path, footer.metaOffset, footer.formatVersion);
  }

  /** Data block `idx` (cached). */
  block(sst: SstInfo, meta: SstableMeta, idx: number): Promise<Block> {
    return this.blockCache.getOrLoad(sst.id, idx, async () => {
      const bm = meta.blocks[idx];
      const bytes = await this.objectStore.getRange(sst.objectPath, bm.offset, bm.length);
      if (bytes.length !== bm.length) throw corruptedError(sst.objectPath, `truncated block ${idx}: ${bytes.length} of ${bm.length} bytes`);
      return decodeBlock(sst, meta, idx, bytes);
    });
  }

  /**
   * Blocks [from, to) in one ranged GET, each checked and decoded; not cached (sequential readers
   * such as compaction read each block once and must not evict what queries use).
   */
  async blockRun(sst: SstInfo, meta: SstableMeta, from: number, to: number): Promise<Block[]> {
    const first = meta.blocks[from];
    const last = meta.blocks[to - 1];
    const length = last.offset + last.length - first.offset;
    const bytes = await this.objectStore.getRange(sst.objectPath, first.offset, length);
    if (bytes.length !== length) throw corruptedError(sst.objectPath, `truncated blocks ${from}..${to - 1}: ${bytes.length} of ${length} bytes`);
    const out: Block[] = [];
    for (let i = from; i < to; i++) {
      const bm = meta.blocks[i];
      out.push(decodeBlock(sst, meta, i, bytes.subarray(bm.offset - first.offset, bm.offset - first.offset + bm.length)));
    }
    return out;
  }
}

function decodeBlock(sst: SstInfo, meta: SstableMeta, idx: number, bytes: Uint8Array): Block {
  return Block.decode(meta.formatVersion >= 2 ? decodeStoredBlock(bytes, sst.objectPath, idx) : bytes, sst.objectPath, idx);
}

/** Index of the first block whose last key >= `fullKey` (blocks.length if none). */
export function findBlock(meta: SstableMeta, fullKey: Uint8Array): number {
  let lo = 0;
  let hi = meta.blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareFullKeys(meta.blocks[mid].lastKey, fullKey) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
