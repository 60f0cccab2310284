import type { StateIterator } from './iterator.ts';
import { compareBytes, compareFullWithUser, compareUserKeyOfFull, encodeEpoch, epochVisible, fullKey, userKeyOf } from '../key/full-key.ts';
import { isTombstone, valuePayload } from '../key/value.ts';

/**
 * MVCC view over a full-key stream at `readEpoch`, restricted to user keys in [start, end):
 * for each user key, only its newest version with epoch <= readEpoch, and nothing if that
 * version is a tombstone.
 *
 * 1. Skip versions newer than readEpoch.
 * 2. The first remaining version of a user key decides it (put → yield, tombstone → hide).
 * 3. Skip every further version of that user key.
 */
export class UserIterator {
  private readonly readEpochBytes: Uint8Array;
  private decided: Uint8Array | null = null; // full key of the version that decided the current user key
  private isValid = false;

  constructor(
    private readonly inner: StateIterator,
    private readonly readEpoch: bigint,
    private readonly start: Uint8Array,
    private readonly end: Uint8Array | null,
  ) {
    this.readEpochBytes = encodeEpoch(readEpoch);
  }

  /** Positions at the first visible user key >= max(userKey, start). */
  async seek(userKey: Uint8Array = this.start): Promise<void> {
    const from = compareBytes(userKey, this.start) < 0 ? this.start : userKey;
    this.decided = null;
    await this.inner.seek(fullKey(from, this.readEpoch));
    const p = this.settle();
    if (p) await p;
  }

  valid(): boolean {
    return this.isValid;
  }

  /** User key (a view; stays valid after next()). */
  key(): Uint8Array {
    return userKeyOf(this.inner.key());
  }

  /** Row bytes of the put. */
  value(): Uint8Array {
    return valuePayload(this.inner.value());
  }

  /** Precondition: valid(). Returns a promise only when a fetch is needed. */
  next(): Promise<void> | void {
    const p = this.inner.next();
    if (p) return p.then(() => this.settle());
    return this.settle();
  }

  /** Moves forward to the next entry that is the visible put of a new user key. */
  private settle(): Promise<void> | void {
    const inner = this.inner;
    for (;;) {
      if (!inner.valid()) {
        this.isValid = false;
        return;
      }
      const fk = inner.key();
      if (this.end !== null && compareFullWithUser(fk, this.end) >= 0) {
        this.isValid = false;
        return;
      }
      const skip =
        !epochVisible(fk, this.readEpochBytes) || (this.decided !== null && compareUserKeyOfFull(fk, this.decided) === 0);
      if (!skip) {
        this.decided = fk;
        if (!isTombstone(inner.value())) {
          this.isValid = true;
          return;
        }
      }
      const p = inner.next();
      if (p) return p.then(() => this.settle());
    }
  }
}
