export type { ObjectStore, ObjectInfo, StreamingUpload } from './object-store.ts';
export { BufferedUpload } from './object-store.ts';
export { FaultInjectingObjectStore, parseFaultSpec, type FaultSpec, type FaultOp } from './fault-injection.ts';
export { MemoryObjectStore } from './memory.ts';
export { FsObjectStore } from './fs.ts';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3.ts';
export { createObjectStore } from './object-store-url.ts';
