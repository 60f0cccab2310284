export type { StateStore } from './state-store.ts';
export { StateTable } from './state-table.ts';
export { MemoryStateStore } from './memory-state-store.ts';
export { stateKey, vnodePrefix, tablePrefix, prefixEnd, vnodeOfKey, keyToString, compareBytes } from './state-table-key.ts';
