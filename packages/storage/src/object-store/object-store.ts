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
