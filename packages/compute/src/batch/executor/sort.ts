import { compareDatum, type BatchNode, type DataType, type Datum, type Row, type SortKey } from '@tributary/common';
import { BATCH_ROWS, type BatchStream, type BuildChild } from './batch-executor.ts';

type SortNode = Extract<BatchNode, { kind: 'sort' }>;

/** Full sort of the input by `keys` (stable: equal rows keep their input order). */
export async function* executeSort(node: SortNode, build: BuildChild): BatchStream {
  const rows: Row[] = [];
  for await (const batch of build(node.input)) for (const r of batch) rows.push(r);
  rows.sort(rowComparator(node.keys, node.input.schema));
  for (let i = 0; i < rows.length; i += BATCH_ROWS) yield rows.slice(i, i + BATCH_ROWS);
}

export function rowComparator(keys: SortKey[], schema: DataType[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const c = compareKey(schema[k.index], a[k.index], b[k.index], k);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function compareKey(type: DataType, a: Datum, b: Datum, key: SortKey): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === key.nullsFirst ? -1 : 1;
  }
  const c = compareDatum(type, a, b);
  return key.order === 'desc' ? -c : c;
}
