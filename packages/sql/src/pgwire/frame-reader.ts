import { DbError, SqlState } from '@tributary/common';

/** One protocol frame. `type` is 0 for the untyped startup-phase frames. */
export interface Frame {
  readonly type: number;
  /** Message body, without the type byte and the length word. */
  readonly body: Buffer;
}

/** Largest accepted frame length (PostgreSQL's own limit is 1 GiB). */
export const FRAME_LENGTH_MAX = 1 << 30;

/**
 * Accumulates socket bytes and cuts them into frames by their length word. Typed frames are
 * `type:u8 length:i32 body`; startup frames are `length:i32 body`. A length below 4 or above
 * FRAME_LENGTH_MAX is a protocol violation: `next` throws and the connection must be closed.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  get buffered(): number {
    return this.bufferedBytes;
  }

  /** The next complete frame, or null when more bytes are needed. */
  next(startupPhase: boolean): Frame | null {
    const headerBytes = startupPhase ? 4 : 5;
    if (this.bufferedBytes < headerBytes) return null;
    const head = this.peek(headerBytes);
    const type = startupPhase ? 0 : head[0];
    const length = head.readInt32BE(startupPhase ? 0 : 1);
    if (length < 4 || length > FRAME_LENGTH_MAX) {
      throw new DbError(SqlState.ProtocolViolation, `invalid message length ${length}`);
    }
    const total = headerBytes - 4 + length;
    if (this.bufferedBytes < total) return null;
    const frame = this.take(total);
    return { type, body: frame.subarray(headerBytes) };
  }

  private peek(n: number): Buffer {
    this.coalesce(n);
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    this.coalesce(n);
    const first = this.chunks[0];
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.bufferedBytes -= n;
    return out;
  }

  /** Makes the first chunk at least `n` bytes long (n <= bufferedBytes). */
  private coalesce(n: number): void {
    if (this.chunks[0].length >= n) return;
    let size = 0;
    let count = 0;
    while (size < n) size += this.chunks[count++].length;
    const merged = Buffer.concat(this.chunks.slice(0, count), size);
    this.chunks.splice(0, count, merged);
  }
}
