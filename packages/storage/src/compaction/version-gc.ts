import { compareUserKeyOfFull, encodeEpoch, epochVisible } from '../key/full-key.ts';
import { isTombstone } from '../key/value.ts';

/**
 * Decides, entry by entry over a full-key-ordered stream (each user key's versions newest first),
 * which versions a compaction keeps:
 *
 * 1. Every version newer than `safeEpoch` (a reader may still read at that epoch).
 * 2. The newest version at or below `safeEpoch` (what a read at safeEpoch sees) — unless it is a
 *    tombstone and the output is the bottom level (there is nothing below for it to hide).
 * 3. Nothing older than that.
 * Equal full keys (the same write seen twice) keep only the first.
 */
export class VersionGc {
  private readonly safeEpochBytes: Uint8Array;
  private lastKey: Uint8Array | null = null;
  /** The current user key already had its newest at-or-below-safe version. */
  private decidedBelowSafe = false;

  constructor(
    safeEpoch: bigint,
    private readonly bottommost: boolean,
  ) {
    this.safeEpochBytes = encodeEpoch(safeEpoch).slice();
  }

  keep(fullKey: Uint8Array, encodedValue: Uint8Array): boolean {
    const last = this.lastKey;
    const sameUser = last !== null && compareUserKeyOfFull(last, fullKey) === 0;
    if (sameUser && sameEpoch(last, fullKey)) return false;
    this.lastKey = fullKey;
    if (!sameUser) this.decidedBelowSafe = false;
    if (!epochVisible(fullKey, this.safeEpochBytes)) return true; // newer than safeEpoch
    if (this.decidedBelowSafe) return false;
    this.decidedBelowSafe = true;
    return !(this.bottommost && isTombstone(encodedValue));
  }
}

function sameEpoch(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 1; i <= 8; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
}
