import type { StateStore } from './state-store.ts';
import { compareBytes, keyToString } from './state-table-key.ts';

interface Version {
  epoch: bigint;
  value: Uint8Array | null;
}

interface Entry {
  key: Uint8Array;
  /** Newest epoch first. */
  versions: Version[];
}

/**
 * In-memory MVCC `StateStore` for tests: a sorted key array, every version of each key kept
 * (no compaction). Reads at epoch E see the newest version at or below E.
 */
export class MemoryStateStore implements StateStore {
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();

  ingestBatch(epoch: bigint, kvs: Array<[Uint8Array, Uint8Array | null]>): void {
    for (const [key, value] of kvs) {
      const k = keyToString(key);
      let entry = this.byKey.get(k);
      if (!entry) {
        entry = { key: key.slice(), versions: [] };
        this.byKey.set(k, entry);
        this.entries.splice(this.lowerBound(key), 0, entry);
      }
      const v = { epoch, value: value ? value.slice() : null };
      const at = entry.versions.findIndex((x) => x.epoch <= epoch);
      if (at === -1) entry.versions.push(v);
      else if (entry.versions[at].epoch === epoch) entry.versions[at] = v;
      else entry.versions.splice(at, 0, v);
    }
  }

  async get(userKey: Uint8Array, epoch: bigint): Promise<Uint8Array | null> {
    const entry = this.byKey.get(keyToString(userKey));
    return entry ? visible(entry, epoch) : null;
  }

  async *iter(start: Uint8Array, end: Uint8Array | null, epoch: bigint): AsyncGenerator<[Uint8Array, Uint8Array]> {
    // Snapshot the range: concurrent ingests must not shift our position.
    const from = this.lowerBound(start);
    const to = end === null ? this.entries.length : this.lowerBound(end);
    const range = this.entries.slice(from, to);
    for (const entry of range) {
      const value = visible(entry, epoch);
      if (value !== null) yield [entry.key, value];
    }
  }

  /** Number of distinct keys ever written (tests). */
  get keyCount(): number {
    return this.entries.length;
  }

  private lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.entries[mid].key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function visible(entry: Entry, epoch: bigint): Uint8Array | null {
  for (const v of entry.versions) {
    if (v.epoch <= epoch) return v.value;
  }
  return null;
}
