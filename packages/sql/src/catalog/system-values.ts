import type { BatchNode } from '@tributary/common';
import { literal } from '../binder/bound.ts';
import type { SystemRelation } from './system-relation.ts';

/** A scan of `columns` of a system relation: its rows, taken now, as a `values` node of literals. */
export function systemValues(table: SystemRelation, columns: readonly number[]): BatchNode {
  const types = columns.map((c) => table.columns[c].type);
  const rows = table.systemRows().map((row) => columns.map((c, i) => literal(types[i], row[c])));
  return { kind: 'values', schema: types, rows };
}
