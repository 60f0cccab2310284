import { LruCache } from './lru-cache.ts';
import type { Block } from '../sstable/block.ts';

export const DEFAULT_BLOCK_CACHE_BYTES = 64 * 1024 * 1024;

/** Byte-bounded LRU of decoded data blocks, keyed by (sstId, blockIdx). */
export class BlockCache {
  private readonly lru: LruCache<number, Block>;

  constructor(capacityBytes = DEFAULT_BLOCK_CACHE_BYTES) {
    this.lru = new LruCache<number, Block>(capacityBytes, (b) => b.sizeBytes() + 64);
  }

  getOrLoad(sstId: number, blockIdx: number, load: () => Promise<Block>): Promise<Block> {
    return this.lru.getOrLoad(cacheKey(sstId, blockIdx), load);
  }

  /** Synchronous probe (no load). */
  get(sstId: number, blockIdx: number): Block | undefined {
    return this.lru.get(cacheKey(sstId, blockIdx));
  }

  sizeBytes(): number {
    return this.lru.sizeBytes();
  }

  stats(): { hits: number; misses: number; entries: number; sizeBytes: number } {
    return { hits: this.lru.hits, misses: this.lru.misses, entries: this.lru.entryCount(), sizeBytes: this.lru.sizeBytes() };
  }
}

/** sstId (< 2^32) and blockIdx (< 2^20) packed into one safe integer: no string per lookup. */
function cacheKey(sstId: number, blockIdx: number): number {
  return sstId * 0x10_0000 + blockIdx;
}
