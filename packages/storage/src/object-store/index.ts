export type { ObjectStore, ObjectInfo } from './object-store.ts';
export { MemoryObjectStore } from './memory.ts';
export { FsObjectStore } from './fs.ts';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3.ts';
export { createObjectStore } from './object-store-url.ts';
