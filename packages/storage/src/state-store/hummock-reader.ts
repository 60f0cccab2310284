import type { HummockVersion } from '../version/version.ts';
import type { SstInfo } from '../version/sst-info.ts';
import type { StateIterator } from '../iterator/iterator.ts';
import { MergeIterator } from '../iterator/merge-iterator.ts';
import { UserIterator } from '../iterator/user-iterator.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';
import { BlockIterator } from '../sstable/block-iterator.ts';
import { findBlock, type SstableStore } from '../sstable/sstable-reader.ts';
import { bloomMayContain, hash32 } from '../sstable/bloom-filter.ts';
import { EPOCH_LEN, compareBytes, compareFullWithUser, fromHex, fullKey } from '../key/full-key.ts';
import { isTombstone, valuePayload } from '../key/value.ts';

/** An SST with its bounds decoded once per version. */
interface SstRef {
  info: SstInfo;
  smallestUser: Uint8Array;
  largestUser: Uint8Array;
  minEpoch: bigint;
}

/**
 * Read-only snapshot reads over one pinned HummockVersion (no shared buffer): used by frontends
 * for batch SELECT at the committed epoch, and by HummockStateStore for the committed part.
 *
 * Read order (newest data first): L0 sub-levels newest first, then L1..L6. Within a sub-level or
 * level SSTs do not overlap in full keys, so the first SST holding a visible version wins.
 */
export class HummockReader {
  /** Groups in read priority order; each group's SSTs sorted by key. */
  private readonly groups: SstRef[][];

  constructor(
    readonly version: HummockVersion,
    readonly sstables: SstableStore,
  ) {
    const ref = (info: SstInfo): SstRef => {
      const s = fromHex(info.smallestKey);
      const l = fromHex(info.largestKey);
      return {
        info,
        smallestUser: s.subarray(0, s.length - EPOCH_LEN),
        largestUser: l.subarray(0, l.length - EPOCH_LEN),
        minEpoch: BigInt(info.minEpoch),
      };
    };
    this.groups = [];
    for (let i = version.l0.length - 1; i >= 0; i--) this.groups.push(version.l0[i].ssts.map(ref));
    for (const level of version.levels) if (level.length > 0) this.groups.push(level.map(ref));
  }

  /** Encoded newest version (put or tombstone) of `userKey` at or below `epoch`, else undefined. */
  async getEncoded(userKey: Uint8Array, epoch: bigint): Promise<Uint8Array | undefined> {
    const target = fullKey(userKey, epoch);
    const keyHash = hash32(userKey);
    for (const group of this.groups) {
      for (const sst of group) {
        if (sst.minEpoch > epoch) continue;
        if (compareBytes(userKey, sst.smallestUser) < 0 || compareBytes(userKey, sst.largestUser) > 0) continue;
        const v = await this.getFromSst(sst.info, userKey, target, keyHash);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  /** Row bytes of the newest visible put of `userKey` at `epoch`, or null. */
  async get(userKey: Uint8Array, epoch: bigint): Promise<Uint8Array | null> {
    const v = await this.getEncoded(userKey, epoch);
    return v === undefined || isTombstone(v) ? null : valuePayload(v);
  }

  private async getFromSst(info: SstInfo, userKey: Uint8Array, target: Uint8Array, keyHash: number): Promise<Uint8Array | undefined> {
    const meta = this.sstables.cachedMeta(info) ?? (await this.sstables.meta(info));
    if (!bloomMayContain(meta.bloomFilter, keyHash)) return undefined;
    for (let idx = findBlock(meta, target); idx < meta.blocks.length; idx++) {
      const it = new BlockIterator(this.sstables.blockCache.get(info.id, idx) ?? (await this.sstables.block(info, meta, idx)));
      it.seek(target);
      if (!it.valid()) continue;
      return compareFullWithUser(it.key(), userKey) === 0 ? it.value() : undefined;
    }
    return undefined;
  }

  /** SST iterators (priority order) for the SSTs that may hold user keys in [start, end) at `epoch`. */
  sstIterators(start: Uint8Array, end: Uint8Array | null, epoch: bigint): StateIterator[] {
    const out: StateIterator[] = [];
    for (const group of this.groups) {
      for (const sst of group) {
        if (sst.minEpoch > epoch) continue;
        if (compareBytes(sst.largestUser, start) < 0) continue;
        if (end !== null && compareBytes(sst.smallestUser, end) >= 0) continue;
        out.push(new SstableIterator(this.sstables, sst.info));
      }
    }
    return out;
  }

  /** Ascending scan of visible [userKey, row] in [start, end) at `epoch`; streams block by block. */
  iter(start: Uint8Array, end: Uint8Array | null, epoch: bigint): AsyncGenerator<[Uint8Array, Uint8Array]> {
    return scanUserIterator(new UserIterator(new MergeIterator(this.sstIterators(start, end, epoch)), epoch, start, end));
  }
}

/** Drives a UserIterator as an async generator of [userKey, row] pairs; `onDone` runs when it ends or is closed. */
export async function* scanUserIterator(it: UserIterator, onDone?: () => void): AsyncGenerator<[Uint8Array, Uint8Array]> {
  try {
    await it.seek();
    while (it.valid()) {
      yield [it.key(), it.value()];
      const p = it.next();
      if (p) await p;
    }
  } finally {
    onDone?.();
  }
}
