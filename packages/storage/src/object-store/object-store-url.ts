import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from './object-store.ts';
import { MemoryObjectStore } from './memory.ts';
import { FsObjectStore } from './fs.ts';
import { S3ObjectStore } from './s3.ts';
import { SqlState, StorageError } from '@tributary/common';
import { FaultInjectingObjectStore, parseFaultSpec } from './fault-injection.ts';

/** In-memory stores by URL: roles of one process (playground, tests) opening one URL share it. */
const memoryStores = new Map<string, MemoryObjectStore>();

/**
 * Opens an object store from a URL: `s3://bucket/prefix`, `fs:///abs/path` (or a plain absolute
 * path), `memory://[name]` (in-memory; the same URL in one process is the same store, so use a
 * unique name for an isolated one, or `new MemoryObjectStore()`).
 */
export function createObjectStore(url: string): ObjectStore {
  const store = openStore(url);
  // Fault tests only: a flaky store (see fault-injection.ts), never set in production.
  const faults = process.env.TRIBUTARY_OBJECT_STORE_FAULTS;
  return faults ? new FaultInjectingObjectStore(store, parseFaultSpec(faults)) : store;
}

function openStore(url: string): ObjectStore {
  if (url.startsWith('memory://')) {
    let store = memoryStores.get(url);
    if (!store) memoryStores.set(url, (store = new MemoryObjectStore()));
    return store;
  }
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
