/**
 * The iterator contract over full keys (ascending), shared by SSTables, shared-buffer batches
 * and merges:
 *
 * 1. `seek(key)` positions at the first entry whose full key >= `key` (an empty key = first).
 * 2. `valid()` tells whether `key()`/`value()` may be called.
 * 3. `next()` (precondition: `valid()`) advances. It returns a promise only when it has to fetch
 *    (e.g. the next block); callers write `const p = it.next(); if (p) await p;`, so iterating
 *    inside a loaded block costs no promise per entry.
 * 4. `key()` is the full key, `value()` the encoded value (key/value.ts); both stay valid after
 *    `next()` (they are never overwritten in place).
 */
export interface StateIterator {
  seek(fullKey: Uint8Array): Promise<void>;
  next(): Promise<void> | void;
  valid(): boolean;
  key(): Uint8Array;
  value(): Uint8Array;
}
