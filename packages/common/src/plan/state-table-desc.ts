import type { DataType } from '../types/data-type.ts';

/**
 * How a state table lays out its rows in the state store. Storage key =
 * `table_id | vnode | memcomparable(pk columns)`, value = row codec of all columns.
 * `distKey` (indices into `columns`) picks the vnode; empty = singleton (vnode 0).
 */
export interface StateTableDesc {
  /** Assigned by meta when the job is created; -1 in a plan fresh from the planner. */
  tableId: number;
  /** Debug name, e.g. `mv_counts.agg_result`. */
  name: string;
  columns: DataType[];
  pk: number[];
  pkOrders: ('asc' | 'desc')[];
  distKey: number[];
  /** Set when the single dist key column is a hidden row id (its vnode is embedded in the id). */
  distKeyIsRowId?: boolean;
}
