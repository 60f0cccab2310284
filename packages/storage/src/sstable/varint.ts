/** Unsigned LEB128 varints (values < 2^53) and a growable byte writer. */

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    b[this.length++] = v & 0xff;
    b[this.length++] = (v >>> 8) & 0xff;
    b[this.length++] = (v >>> 16) & 0xff;
    b[this.length++] = (v >>> 24) & 0xff;
  }

  u64(v: bigint): void {
    this.u32(Number(v & 0xffff_ffffn));
    this.u32(Number(v >> 32n));
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    if (n > 64) {
      this.buf.set(b, this.length);
    } else {
      // TypedArray.set has a high fixed cost; short keys and values copy faster by hand.
      const buf = this.buf;
      const at = this.length;
      for (let i = 0; i < n; i++) buf[at + i] = b[i];
    }
    this.length += n;
  }

  /** Varint length then the bytes. */
  lenBytes(b: Uint8Array): void {
    this.varint(b.length);
    this.bytes(b);
  }

  /** A view of the written bytes (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** Thrown by ByteReader on any out-of-bounds read; callers turn it into a corruption error. */
export class DecodeError extends Error {}

export class ByteReader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new DecodeError('varint past end');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
    throw new DecodeError('varint too long');
  }

  u32(): number {
    if (this.pos + 4 > this.end) throw new DecodeError('u32 past end');
    const v = readU32(this.buf, this.pos);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    const lo = this.u32();
    const hi = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) throw new DecodeError('bytes past end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  lenBytes(): Uint8Array {
    return this.bytes(this.varint());
  }
}

export function readU32(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}
