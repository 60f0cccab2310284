import type { DataType } from '../types/data-type.ts';
import type { Expr } from '../expr/expr.ts';
import type { AggCall } from './agg-call.ts';
import type { StateTableDesc } from './state-table-desc.ts';
import type { WindowCall } from './window-call.ts';
import type { JoinType } from './stream-node.ts';

/** Batch plan IR, run by the frontend over one committed snapshot (`@tributary/compute/batch`). */
export type BatchNode =
  | { kind: 'scan'; schema: DataType[]; table: StateTableDesc; tableName: string; columns: number[] }
  | { kind: 'values'; schema: DataType[]; rows: Expr[][] }
  | { kind: 'filter'; schema: DataType[]; predicate: Expr; input: BatchNode }
  | { kind: 'project'; schema: DataType[]; exprs: Expr[]; input: BatchNode }
  /** groupKey empty = simple agg: exactly one row, even over empty input. Output: keys then aggs. */
  | { kind: 'hashAgg'; schema: DataType[]; groupKey: number[]; aggCalls: AggCall[]; input: BatchNode }
  | { kind: 'sort'; schema: DataType[]; keys: SortKey[]; input: BatchNode }
  | { kind: 'limit'; schema: DataType[]; limit: number | null; offset: number; input: BatchNode }
  /** TUMBLE / HOP windows appended to each row (see the stream `TimeWindowNode`). */
  | { kind: 'timeWindow'; schema: DataType[]; timeCol: number; sizeMicros: string; slideMicros: string; input: BatchNode }
  /** UNION ALL: the inputs' rows one input after the other (same schema). */
  | { kind: 'union'; schema: DataType[]; inputs: BatchNode[] }
  /**
   * Per group of `groupKey`, the first `limit` rows in `keys` order; with `withRank` a trailing
   * row_number() column (bigint).
   */
  | {
    kind: 'groupTopN'; schema: DataType[]; groupKey: number[]; keys: SortKey[]; limit: number; withRank: boolean;
    input: BatchNode;
  }
  /**
   * Window functions over one window (`partitionBy`, `orderBy`, the default frame): the input rows,
   * each followed by one column per call. Rows come out grouped by partition, sorted in each.
   */
  | { kind: 'overWindow'; schema: DataType[]; partitionBy: number[]; orderBy: SortKey[]; calls: WindowCall[]; input: BatchNode }
  /**
   * Equi-join; output = left ++ right columns (left only for leftSemi/leftAnti); `condition` over
   * left ++ right is the non-equi rest. No keys = a nested-loop (cross) join.
   */
  | {
    kind: 'hashJoin'; schema: DataType[]; joinType: JoinType;
    leftKeys: number[]; rightKeys: number[]; condition: Expr | null; left: BatchNode; right: BatchNode;
  };

export interface SortKey {
  index: number;
  order: 'asc' | 'desc';
  /** PostgreSQL default: NULLS LAST for asc, NULLS FIRST for desc. */
  nullsFirst: boolean;
}
