import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from './object-store.ts';
import { MemoryObjectStore } from './memory.ts';
import { FsObjectStore } from './fs.ts';
import { S3ObjectStore } from './s3.ts';
import { SqlState, StorageError } from '@tributary/common';

/**
 * Opens an object store from a URL: `s3://bucket/prefix`, `fs:///abs/path` (or a plain absolute
 * path), `memory://` (a fresh, empty in-memory store).
 */
export function createObjectStore(url: string): ObjectStore {
  if (url.startsWith('memory://') || url === 'memory') return new MemoryObjectStore();
  if (url.startsWith('fs://')) {
    if (!url.startsWith('fs:///')) throw badUrl(url, 'fs URLs must be absolute: fs:///abs/path');
    return new FsObjectStore(fileURLToPath('file://' + url.slice('fs://'.length)));
  }
  if (url.startsWith('s3://')) {
    const rest = url.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (!bucket) throw badUrl(url, 'missing bucket');
    return new S3ObjectStore({ bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1) });
  }
  if (isAbsolute(url)) return new FsObjectStore(resolve(url));
  throw badUrl(url, 'expected s3://bucket/prefix, fs:///abs/path, an absolute path or memory://');
}

function badUrl(url: string, why: string): StorageError {
  return new StorageError(SqlState.InvalidParameterValue, `invalid object store URL "${url}": ${why}`);
}
