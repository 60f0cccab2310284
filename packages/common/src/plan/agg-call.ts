import type { DataType } from '../types/data-type.ts';

export type AggKind = 'count_star' | 'count' | 'sum' | 'min' | 'max' | 'bool_and' | 'bool_or' | 'string_agg';

/** An ORDER BY item inside an aggregate call (`string_agg(v, ',' ORDER BY k DESC)`). */
export interface AggOrderItem {
  /** Input column index. */
  index: number;
  order: 'asc' | 'desc';
  nullsFirst: boolean;
}

/** One aggregate call of an aggregation node. `avg` is planned as `sum / count` above the agg. */
export interface AggCall {
  kind: AggKind;
  /** Input column index; null for count_star. */
  arg: number | null;
  argType: DataType | null;
  returnType: DataType;
  /** `agg(DISTINCT x)`: each distinct non-NULL value of a group counts once (count and sum). */
  distinct?: boolean;
  /** `FILTER (WHERE ...)`: boolean input column; only rows where it is true reach the call. */
  filter?: number | null;
  /** string_agg: input column holding the delimiter (a NULL delimiter counts as ''). */
  delimiter?: number | null;
  /** string_agg: order of the concatenation (ties, and no ORDER BY, by the input stream key). */
  orderBy?: AggOrderItem[];
}
