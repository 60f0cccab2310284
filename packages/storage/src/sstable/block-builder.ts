import { crc32 } from 'node:zlib';
import { ByteWriter } from './varint.ts';
import { RESTART_INTERVAL } from './format.ts';

/**
 * Builds one data block (layout in format.ts): prefix-compressed entries with a restart point
 * every RESTART_INTERVAL entries. Keys must be added in strictly ascending order.
 */
export class BlockBuilder {
  private readonly w = new ByteWriter(4096);
  private readonly restarts: number[] = [];
  private lastKey: Uint8Array | null = null;
  private firstKey: Uint8Array | null = null;
  private count = 0;

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.count % RESTART_INTERVAL === 0) {
      this.restarts.push(this.w.length);
    } else {
      const last = this.lastKey!;
      const max = last.length < key.length ? last.length : key.length;
      while (shared < max && last[shared] === key[shared]) shared++;
    }
    this.w.varint(shared);
    this.w.varint(key.length - shared);
    this.w.varint(value.length);
    this.w.bytes(key.subarray(shared));
    this.w.bytes(value);
    if (this.firstKey === null) this.firstKey = key;
    this.lastKey = key;
    this.count++;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  /** Size of the block if finished now. */
  estimatedSizeBytes(): number {
    return this.w.length + 4 * (this.restarts.length + 2);
  }

  first(): Uint8Array {
    return this.firstKey!;
  }

  last(): Uint8Array {
    return this.lastKey!;
  }

  /** Returns the encoded block (a fresh copy) and resets the builder for the next block. */
  finish(): Uint8Array {
    for (const r of this.restarts) this.w.u32(r);
    this.w.u32(this.restarts.length);
    this.w.u32(crc32(this.w.view()));
    const out = this.w.view().slice();
    this.w.reset();
    this.restarts.length = 0;
    this.lastKey = this.firstKey = null;
    this.count = 0;
    return out;
  }
}
