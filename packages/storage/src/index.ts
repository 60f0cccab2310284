export * from './object-store/index.ts';
export * from './version/index.ts';
export {
  EPOCH_LEN,
  USER_KEY_HEADER_LEN,
  userKey,
  fullKey,
  splitFullKey,
  userKeyOf,
  epochOf,
  tableIdOf,
  vnodeOf,
  encodeEpoch,
  compareBytes,
  compareFullKeys,
  toHex,
  fromHex,
} from './key/full-key.ts';
export { encodeValue, isTombstone, valuePayload } from './key/value.ts';
export type { StateIterator } from './iterator/iterator.ts';
export { MergeIterator } from './iterator/merge-iterator.ts';
export { UserIterator } from './iterator/user-iterator.ts';
export { SstableBuilder, type SstableBuilderOptions, type BuiltSstable } from './sstable/sstable-builder.ts';
export { SstableStore, type SstableStoreOptions } from './sstable/sstable-reader.ts';
export { SstableIterator } from './sstable/sstable-iterator.ts';
export type { SstableMeta, BlockMeta } from './sstable/sstable-meta.ts';
export { BlockCache, DEFAULT_BLOCK_CACHE_BYTES } from './cache/block-cache.ts';
export { SharedBuffer } from './memtable/shared-buffer.ts';
export { SharedBufferBatch } from './memtable/shared-buffer-batch.ts';
export { HummockReader } from './state-store/hummock-reader.ts';
export { HummockStateStore, DEFAULT_SST_TARGET_BYTES, type StateStoreOptions } from './state-store/hummock-state-store.ts';
