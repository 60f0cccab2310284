/**
 * The part of the node's state store (`HummockStateStore` in @tributary/storage) that state tables
 * use. Keys are opaque user keys: `table_id u32 BE | vnode u16 BE | memcomparable(pk)`.
 */
export interface StateStore {
  /** Hands one epoch's writes (null value = delete) to the store's shared buffer. */
  ingestBatch(epoch: bigint, kvs: Array<[Uint8Array, Uint8Array | null]>): void;
  get(userKey: Uint8Array, epoch: bigint): Promise<Uint8Array | null>;
  /** Ascending scan of [start, end), newest version at or below `epoch`, deletes skipped. */
  iter(start: Uint8Array, end: Uint8Array | null, epoch: bigint): AsyncGenerator<[Uint8Array, Uint8Array]>;
}
