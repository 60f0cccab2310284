/**
 * Meta's durable store: named column families of string keys to JSON string values, changed only
 * by atomic transactions. Backed by SQLite now (PostgreSQL later, same interface).
 */
export type MetaStoreOp =
  | { kind: 'put'; cf: string; key: string; value: string }
  | { kind: 'delete'; cf: string; key: string };

export interface MetaStore {
  get(cf: string, key: string): Promise<string | undefined>;
  /** All entries of a column family, ordered by key. */
  list(cf: string): Promise<Array<[string, string]>>;
  /** Applies every op or none. */
  txn(ops: MetaStoreOp[]): Promise<void>;
  close(): Promise<void>;
}

/** Column families. */
export const CF = {
  relations: 'relations',
  jobs: 'jobs',
  workers: 'workers',
  versionDeltas: 'hummock_version_deltas',
  /** State tables of dropped relations whose keys compaction has yet to remove (key: table id). */
  droppedTables: 'hummock_dropped_tables',
  system: 'system',
  recoveries: 'recoveries',
  rebalances: 'rebalances',
} as const;
