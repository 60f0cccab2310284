/** One listed object. `path` is relative to the store root (the same form `put` takes). */
export interface ObjectInfo {
  path: string;
  size: number;
}

/**
 * A flat key → bytes store (S3, local disk, memory). Objects are immutable once written: a `put`
 * replaces an object atomically, readers never see a partial object.
 */
export interface ObjectStore {
  /** Writes the whole object atomically (replacing any previous one). */
  put(path: string, data: Uint8Array): Promise<void>;
  /**
   * Starts an object written piece by piece (S3 multipart upload, a temp file on disk), so a large
   * object is never held whole in memory. It becomes visible only at `finish`; `abort` leaves nothing.
   */
  upload(path: string): StreamingUpload;
  /** Reads the whole object. A missing object rejects with StorageError(IoError) naming the path. */
  get(path: string): Promise<Uint8Array>;
  /**
   * Reads `length` bytes from `offset`. A range past the end of the object returns the bytes that
   * exist (possibly none): callers check the length they got.
   */
  getRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(path: string): Promise<void>;
  /** Every object whose path starts with `prefix`, sorted by path. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Releases connections / handles. */
  close?(): Promise<void>;
}

/**
 * One object being written in pieces. `write` resolves once the bytes are accepted (a bounded
 * number of parts may still be in flight: that is the backpressure); the caller must not reuse
 * the buffer it passed. After a failed `write` or `finish`, call `abort`.
 */
export interface StreamingUpload {
  write(data: Uint8Array): Promise<void>;
  /** Makes the object visible, atomically, with every byte written. */
  finish(): Promise<void>;
  /** Gives up: no object becomes visible and temporary pieces are removed. Never throws. */
  abort(): Promise<void>;
}

/** A StreamingUpload for stores without a streaming API: collects the pieces, then one `put`. */
export class BufferedUpload implements StreamingUpload {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly path: string,
    private readonly put: (path: string, data: Uint8Array) => Promise<void>,
  ) {}

  async write(data: Uint8Array): Promise<void> {
    this.parts.push(data);
    this.size += data.length;
  }

  async finish(): Promise<void> {
    await this.put(this.path, concatBytes(this.parts, this.size));
  }

  async abort(): Promise<void> {
    this.parts.length = 0;
  }
}

export function concatBytes(parts: Uint8Array[], size = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
