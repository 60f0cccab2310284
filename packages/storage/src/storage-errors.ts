import { SqlState, StorageError } from '@tributary/common';

/** A stored object failed a length or checksum check. Always names the object. */
export function corruptedError(objectPath: string, what: string, cause?: unknown): StorageError {
  return new StorageError(SqlState.DataCorrupted, `corrupted object ${objectPath}: ${what}`, { cause });
}

/** An object store operation failed (missing object, network, disk). Always names the object. */
export function ioError(objectPath: string, what: string, cause?: unknown): StorageError {
  return new StorageError(SqlState.IoError, `object store ${what} failed for ${objectPath}`, { cause });
}
