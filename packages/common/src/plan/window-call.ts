import type { DataType } from '../types/data-type.ts';

/** Window functions proper, then the aggregates that also run over a window. */
export type WindowFuncKind =
  | 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile'
  | 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value'
  | 'count_star' | 'count' | 'sum' | 'min' | 'max' | 'bool_and' | 'bool_or' | 'string_agg';

/**
 * One window function call of an `overWindow` node. The frame is PostgreSQL's default: from the
 * partition's first row to the current row's last peer (rows equal on the window's ORDER BY);
 * the whole partition when the window has no ORDER BY. `avg` is planned as `sum / count`.
 */
export interface WindowCall {
  kind: WindowFuncKind;
  /**
   * Input column indices of the arguments: lag/lead `[value, offset, default]`, ntile `[buckets]`,
   * nth_value `[value, n]`, string_agg `[value, delimiter]`, another aggregate `[value]` (none for
   * count_star and the ranking functions).
   */
  args: number[];
  argTypes: DataType[];
  returnType: DataType;
  /** An aggregate's `FILTER (WHERE ...)`: boolean input column; only rows where it is true count. */
  filter?: number;
}
