import type { DataType } from '../types/data-type.ts';

export type AggKind = 'count_star' | 'count' | 'sum' | 'min' | 'max';

/** One aggregate call of an aggregation node. `avg` is planned as `sum / count` above the agg. */
export interface AggCall {
  kind: AggKind;
  /** Input column index; null for count_star. */
  arg: number | null;
  argType: DataType | null;
  returnType: DataType;
}
