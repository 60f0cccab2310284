import { LruCache } from './lru-cache.ts';
import type { SstableMeta } from '../sstable/sstable-meta.ts';

export const DEFAULT_META_CACHE_BYTES = 16 * 1024 * 1024;

/** Byte-bounded LRU of opened SSTable metas (block index + bloom filter), keyed by sstId. */
export class MetaCache {
  private readonly lru: LruCache<number, SstableMeta>;

  constructor(capacityBytes = DEFAULT_META_CACHE_BYTES) {
    this.lru = new LruCache<number, SstableMeta>(capacityBytes, (m) => m.sizeBytes);
  }

  get capacityBytes(): number {
    return this.lru.capacityBytes;
  }

  stats(): { hits: number; misses: number; entries: number; sizeBytes: number } {
    return { hits: this.lru.hits, misses: this.lru.misses, entries: this.lru.entryCount(), sizeBytes: this.lru.sizeBytes() };
  }

  getOrLoad(sstId: number, load: () => Promise<SstableMeta>): Promise<SstableMeta> {
    return this.lru.getOrLoad(sstId, load);
  }

  /** Cached, without marking it used. */
  peek(sstId: number): SstableMeta | undefined {
    return this.lru.peek(sstId);
  }

  get(sstId: number): SstableMeta | undefined {
    return this.lru.get(sstId);
  }
}
