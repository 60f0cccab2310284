import { SharedBufferBatch } from './shared-buffer-batch.ts';

/**
 * A node's uncommitted writes: immutable per-epoch batches, kept until they are synced to SSTs
 * and a committed version containing them is installed. Batches are ordered newest first
 * (epoch descending, then ingestion order descending), which is also read priority.
 */
export class SharedBuffer {
  private batches: SharedBufferBatch[] = [];
  private seq = 0;

  /** Adds the writes of `epoch` (null value = delete). Later writes of a key in `kvs` win. */
  ingestBatch(epoch: bigint, kvs: Array<[Uint8Array, Uint8Array | null]>): SharedBufferBatch | null {
    if (kvs.length === 0) return null;
    const batch = new SharedBufferBatch(epoch, ++this.seq, kvs);
    // Insert keeping newest-first order; typical ingestion is in epoch order, so scan from the front.
    let i = 0;
    while (i < this.batches.length && this.batches[i].epoch > epoch) i++;
    this.batches.splice(i, 0, batch);
    return batch;
  }

  /** Encoded value of the newest version of `userKey` at or below `epoch`, or undefined. */
  getEncoded(userKey: Uint8Array, epoch: bigint): Uint8Array | undefined {
    for (const b of this.batches) {
      if (b.epoch > epoch) continue;
      const v = b.getEncoded(userKey);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Batches readable at `epoch`, newest first. */
  readable(epoch: bigint): SharedBufferBatch[] {
    return this.batches.filter((b) => b.epoch <= epoch);
  }

  /** Unsynced batches with epoch <= `epoch`, newest first. */
  unsyncedUpTo(epoch: bigint): SharedBufferBatch[] {
    return this.batches.filter((b) => b.syncState === 'unsynced' && b.epoch <= epoch);
  }

  /** Drops synced batches whose epoch is committed (their data is now in the version). */
  dropCommitted(maxCommittedEpoch: bigint): void {
    this.batches = this.batches.filter((b) => !(b.syncState === 'synced' && b.epoch <= maxCommittedEpoch));
  }

  /** Unsynced batches of every epoch, newest first. */
  unsynced(): SharedBufferBatch[] {
    return this.batches.filter((b) => b.syncState === 'unsynced');
  }

  /** Bytes of unsynced batches (what an early flush can free). */
  unsyncedSizeBytes(): number {
    let n = 0;
    for (const b of this.batches) if (b.syncState === 'unsynced') n += b.sizeBytes;
    return n;
  }

  /** Removes these batches (flushed to local SSTs, which now serve their reads). */
  remove(batches: SharedBufferBatch[]): void {
    const gone = new Set(batches);
    this.batches = this.batches.filter((b) => !gone.has(b));
  }

  /** Drops every batch with epoch > `epoch` (recovery). */
  dropAbove(epoch: bigint): void {
    this.batches = this.batches.filter((b) => b.epoch <= epoch);
  }

  sizeBytes(): number {
    let n = 0;
    for (const b of this.batches) n += b.sizeBytes;
    return n;
  }

  batchCount(): number {
    return this.batches.length;
  }
}
