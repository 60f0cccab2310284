import type { SstInfo } from '../../version/sst-info.ts';
import { EPOCH_LEN, compareBytes, fromHex } from '../../key/full-key.ts';

/** Inclusive user-key range. Compaction reasons about user keys: all versions of a key move together. */
export interface KeyRange {
  smallest: Uint8Array;
  largest: Uint8Array;
}

/** User-key range of an SST (from the hex full keys in its SstInfo). */
export function sstRange(sst: SstInfo): KeyRange {
  const s = fromHex(sst.smallestKey);
  const l = fromHex(sst.largestKey);
  return { smallest: s.subarray(0, s.length - EPOCH_LEN), largest: l.subarray(0, l.length - EPOCH_LEN) };
}

/** Smallest range covering every SST (precondition: at least one SST). */
export function unionRange(ssts: SstInfo[]): KeyRange {
  let r = sstRange(ssts[0]);
  for (let i = 1; i < ssts.length; i++) {
    const o = sstRange(ssts[i]);
    r = {
      smallest: compareBytes(o.smallest, r.smallest) < 0 ? o.smallest : r.smallest,
      largest: compareBytes(o.largest, r.largest) > 0 ? o.largest : r.largest,
    };
  }
  return r;
}

export function rangesOverlap(a: KeyRange, b: KeyRange): boolean {
  return compareBytes(a.smallest, b.largest) <= 0 && compareBytes(b.smallest, a.largest) <= 0;
}

/** SSTs of `level` whose range overlaps `range`. */
export function overlapping(level: SstInfo[], range: KeyRange): SstInfo[] {
  return level.filter((s) => rangesOverlap(sstRange(s), range));
}

export function totalBytes(ssts: SstInfo[]): number {
  let n = 0;
  for (const s of ssts) n += s.fileSize;
  return n;
}
