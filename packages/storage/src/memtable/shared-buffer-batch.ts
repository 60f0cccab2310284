import type { StateIterator } from '../iterator/iterator.ts';
import { EPOCH_LEN, compareBytes, encodeEpoch } from '../key/full-key.ts';
import { TAG_DELETE, TAG_PUT } from '../key/value.ts';

export type BatchSyncState = 'unsynced' | 'syncing' | 'synced';

/**
 * The writes of one `ingestBatch` call: one epoch, sorted by user key, one version per key.
 * Immutable except for its sync state.
 *
 * All entries live in one arena, `[full key][encoded value]` back to back; entry j spans
 * `[starts[j], starts[j+1])` and its key ends at `keyEnds[j]`. Ingesting therefore allocates three
 * buffers per batch instead of two objects per entry (typed-array views cost ~100 bytes each and
 * dominate GC); views are made lazily when an entry is read.
 */
export class SharedBufferBatch {
  private readonly arena: Uint8Array;
  private readonly starts: Uint32Array;
  private readonly keyEnds: Uint32Array;
  readonly count: number;
  readonly sizeBytes: number;
  syncState: BatchSyncState = 'unsynced';

  /** `kvs` may be unsorted; for duplicate keys the later write wins. */
  constructor(
    readonly epoch: bigint,
    readonly seq: number,
    kvs: Array<[Uint8Array, Uint8Array | null]>,
  ) {
    const order = sortedOrder(kvs);
    const keep: number[] = [];
    let arenaBytes = 0;
    for (let i = 0; i < order.length; i++) {
      const kv = kvs[order[i]];
      // For equal keys the later write (last in `order`) wins.
      if (i + 1 < order.length && compareBytes(kv[0], kvs[order[i + 1]][0]) === 0) continue;
      keep.push(order[i]);
      arenaBytes += kv[0].length + EPOCH_LEN + 1 + (kv[1] === null ? 0 : kv[1].length);
    }
    const epochBytes = encodeEpoch(epoch);
    const arena = (this.arena = new Uint8Array(arenaBytes));
    this.count = keep.length;
    const starts = (this.starts = new Uint32Array(keep.length + 1));
    const keyEnds = (this.keyEnds = new Uint32Array(keep.length));
    let p = 0;
    for (let j = 0; j < keep.length; j++) {
      const kv = kvs[keep[j]];
      starts[j] = p;
      arena.set(kv[0], p);
      p += kv[0].length;
      arena.set(epochBytes, p);
      p += EPOCH_LEN;
      keyEnds[j] = p;
      const v = kv[1];
      arena[p++] = v === null ? TAG_DELETE : TAG_PUT;
      if (v !== null) {
        arena.set(v, p);
        p += v.length;
      }
    }
    starts[keep.length] = p;
    this.sizeBytes = arenaBytes + 8 * keep.length + 64;
  }

  /** Full key of entry j (a fresh view). */
  keyAt(j: number): Uint8Array {
    const s = this.starts[j];
    return new Uint8Array(this.arena.buffer, s, this.keyEnds[j] - s);
  }

  /** Encoded value of entry j (a fresh view). */
  valueAt(j: number): Uint8Array {
    const s = this.keyEnds[j];
    return new Uint8Array(this.arena.buffer, s, this.starts[j + 1] - s);
  }

  /** Compares entry j's user key with `userKey`. */
  private compareUserAt(j: number, userKey: Uint8Array): number {
    const a = this.arena;
    const s = this.starts[j];
    const len = this.keyEnds[j] - EPOCH_LEN - s;
    const n = len < userKey.length ? len : userKey.length;
    for (let i = 0; i < n; i++) {
      const d = a[s + i] - userKey[i];
      if (d !== 0) return d;
    }
    return len - userKey.length;
  }

  /** Index of the first entry whose user key >= `userKey`. */
  lowerBound(userKey: Uint8Array): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareUserAt(mid, userKey) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first entry whose full key >= `fullKey` (see compareFullKeys). */
  seekIndex(fullKey: Uint8Array): number {
    const uk = fullKey.subarray(0, Math.max(0, fullKey.length - EPOCH_LEN));
    const i = this.lowerBound(uk);
    if (i >= this.count || this.compareUserAt(i, uk) !== 0) return i;
    // Same user key: our single version is >= the target iff our epoch bytes are >= its.
    const ours = this.arena.subarray(this.keyEnds[i] - EPOCH_LEN, this.keyEnds[i]);
    return compareBytes(ours, fullKey.subarray(fullKey.length - EPOCH_LEN)) >= 0 ? i : i + 1;
  }

  /** Encoded value of `userKey` in this batch, or undefined. */
  getEncoded(userKey: Uint8Array): Uint8Array | undefined {
    const i = this.lowerBound(userKey);
    return i < this.count && this.compareUserAt(i, userKey) === 0 ? this.valueAt(i) : undefined;
  }

  iter(): StateIterator {
    return new BatchIterator(this);
  }
}

/** Synchronous iterator over one batch (full keys); never fetches. */
class BatchIterator implements StateIterator {
  private i: number;
  private curKey: Uint8Array | null = null;

  constructor(private readonly batch: SharedBufferBatch) {
    this.i = batch.count;
  }

  async seek(target: Uint8Array): Promise<void> {
    this.i = this.batch.seekIndex(target);
    this.curKey = null;
  }

  valid(): boolean {
    return this.i < this.batch.count;
  }

  key(): Uint8Array {
    // Merging calls key() several times per step: make the view once.
    return (this.curKey ??= this.batch.keyAt(this.i));
  }

  value(): Uint8Array {
    return this.batch.valueAt(this.i);
  }

  next(): void {
    this.i++;
    this.curKey = null;
  }
}

/** Indices of `kvs` sorted by key, stable (equal keys keep input order). Skips sorting sorted input. */
function sortedOrder(kvs: Array<[Uint8Array, Uint8Array | null]>): number[] {
  const order = new Array<number>(kvs.length);
  let sorted = true;
  for (let i = 0; i < kvs.length; i++) {
    order[i] = i;
    if (sorted && i > 0 && compareBytes(kvs[i - 1][0], kvs[i][0]) > 0) sorted = false;
  }
  if (!sorted) order.sort((a, b) => compareBytes(kvs[a][0], kvs[b][0]) || a - b);
  return order;
}
