import { Block } from './block.ts';
import { EPOCH_LEN } from '../key/full-key.ts';

/**
 * Iterates the entries of one Block synchronously.
 *
 * Contract: after `seekToFirst()` or `seek(key)`, `valid()` tells whether `key()`/`value()` may be
 * called; `next()` requires `valid()`. Arrays returned by `key()` and `value()` stay valid after
 * `next()` (fresh copies or views of the immutable block).
 *
 * Keys are rebuilt into a reusable scratch buffer and compared there; a key array is only made
 * when `key()` asks for it, because creating typed arrays dominates the cost of a seek.
 */
export class BlockIterator {
  private readonly data: Uint8Array;
  private scratch = new Uint8Array(64);
  private keyLen = 0;
  private valueStart = 0;
  private valueLen = 0;
  private nextPos = 0;
  private isValid = false;
  private curKey: Uint8Array | null = null;

  constructor(readonly block: Block) {
    this.data = block.data;
  }

  valid(): boolean {
    return this.isValid;
  }

  key(): Uint8Array {
    return (this.curKey ??= this.scratch.slice(0, this.keyLen));
  }

  value(): Uint8Array {
    return this.data.subarray(this.valueStart, this.valueStart + this.valueLen);
  }

  seekToFirst(): void {
    this.decodeAt(this.block.restarts[0]);
  }

  /** Positions at the first entry with key >= `target` (compareFullKeys order), or invalid. */
  seek(target: Uint8Array): void {
    const restarts = this.block.restarts;
    // Binary search: last restart whose key < target.
    let lo = 0;
    let hi = restarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      this.decodeAt(restarts[mid]);
      if (this.compareCurrent(target) < 0) lo = mid;
      else hi = mid - 1;
    }
    this.decodeAt(restarts[lo]);
    while (this.isValid && this.compareCurrent(target) < 0) this.next();
  }

  next(): void {
    if (this.nextPos >= this.block.entriesEnd) {
      this.isValid = false;
      return;
    }
    this.decodeAt(this.nextPos);
  }

  /** compareFullKeys(current key, target) on the scratch buffer, without allocating. */
  private compareCurrent(target: Uint8Array): number {
    const a = this.scratch;
    const la = this.keyLen - EPOCH_LEN;
    const lb = target.length - EPOCH_LEN;
    const n = la < lb ? la : lb;
    for (let i = 0; i < n; i++) {
      const d = a[i] - target[i];
      if (d !== 0) return d;
    }
    if (la !== lb) return la - lb;
    for (let i = la; i < this.keyLen; i++) {
      const d = a[i] - target[i];
      if (d !== 0) return d;
    }
    return 0;
  }

  /** Decodes the entry at `off`; its shared prefix comes from the key now in scratch. */
  private decodeAt(off: number): void {
    const d = this.data;
    const end = this.block.entriesEnd;
    let p = off;
    let shared = 0;
    let unshared = 0;
    let valueLen = 0;
    // Three varints, decoded inline (hot path).
    for (let field = 0; field < 3; field++) {
      let v = 0;
      let mul = 1;
      for (;;) {
        if (p >= end) throw new RangeError('block entry header past end');
        const b = d[p++];
        v += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 0x80;
      }
      if (field === 0) shared = v;
      else if (field === 1) unshared = v;
      else valueLen = v;
    }
    if (p + unshared + valueLen > end) throw new RangeError('block entry past end');
    if (shared > this.keyLen && shared > 0) throw new RangeError('block entry shares more than the previous key');
    const keyLen = shared + unshared;
    if (keyLen > this.scratch.length) {
      const bigger = new Uint8Array(Math.max(keyLen, this.scratch.length * 2));
      bigger.set(this.scratch.subarray(0, shared));
      this.scratch = bigger;
    }
    const s = this.scratch;
    for (let i = 0; i < unshared; i++) s[shared + i] = d[p + i];
    p += unshared;
    this.keyLen = keyLen;
    this.curKey = null;
    this.valueStart = p;
    this.valueLen = valueLen;
    this.nextPos = p + valueLen;
    this.isValid = true;
  }
}
