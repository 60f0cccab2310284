import type { HummockVersion } from '../version/version.ts';
import type { SstInfo } from '../version/sst-info.ts';
import type { StateIterator } from '../iterator/iterator.ts';
import { MergeIterator } from '../iterator/merge-iterator.ts';
import { UserIterator } from '../iterator/user-iterator.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';
import { BlockIterator } from '../sstable/block-iterator.ts';
import { findBlock, type SstableStore } from '../sstable/sstable-reader.ts';
import { bloomMayContain, hash32 } from '../sstable/bloom-filter.ts';
import { EPOCH_LEN, compareBytes, compareFullWithUser, fromHex, fullKey, tableIdOf } from '../key/full-key.ts';
import { isTombstone, valuePayload } from '../key/value.ts';

/** An SST with its bounds decoded once per version. */
interface SstRef {
  info: SstInfo;
  smallestUser: Uint8Array;
  largestUser: Uint8Array;
  minEpoch: bigint;
  /** The table ids it holds (ascending), or null when not recorded: then any table may be in it. */
  tableIds: readonly number[] | null;
}

/**
 * Read-only snapshot reads over one pinned HummockVersion (no shared buffer): used by frontends
 * for batch SELECT at the committed epoch, and by HummockStateStore for the committed part.
 *
 * Read order (newest data first): L0 sub-levels newest first, then L1..L6. Within a sub-level or
 * level SSTs do not overlap in full keys, so the first SST holding a visible version wins.
 *
 * An SST whose recorded table ids lack the table being read is skipped before its meta is
 * consulted. An L0 SST of one checkpoint spans the key range of every table written in it, so a
 * read of a table that checkpoint did not write (a backfill's progress, a view that saw no change)
 * would otherwise probe its bloom filter, and one probe in ~100 is a false positive that costs a
 * block read: with L0 deep, several cold block reads per get.
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
        tableIds: info.tableIds && info.tableIds.length > 0 ? info.tableIds : null,
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
    const tableId = tableIdOf(userKey);
    for (const group of this.groups) {
      for (const sst of group) {
        if (sst.minEpoch > epoch) continue;
        if (compareBytes(userKey, sst.smallestUser) < 0 || compareBytes(userKey, sst.largestUser) > 0) continue;
        if (!holdsTable(sst, tableId)) continue;
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
    const tableId = singleTableOf(start, end);
    for (const group of this.groups) {
      for (const sst of group) {
        if (sst.minEpoch > epoch) continue;
        if (compareBytes(sst.largestUser, start) < 0) continue;
        if (end !== null && compareBytes(sst.smallestUser, end) >= 0) continue;
        if (tableId !== null && !holdsTable(sst, tableId)) continue;
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

/** False only when the SST's recorded table ids exclude `tableId`. */
function holdsTable(sst: SstRef, tableId: number): boolean {
  const ids = sst.tableIds;
  if (ids === null) return true;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] === tableId) return true;
    if (ids[mid] < tableId) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The table every user key in [start, end) belongs to, or null when the range may span tables. */
export function singleTableOf(start: Uint8Array, end: Uint8Array | null): number | null {
  if (start.length < 4 || end === null) return null;
  const tableId = tableIdOf(start);
  if (tableId === 0xffff_ffff) return null;
  const next = new Uint8Array(4);
  new DataView(next.buffer).setUint32(0, tableId + 1, false);
  return compareBytes(end, next) <= 0 ? tableId : null;
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
