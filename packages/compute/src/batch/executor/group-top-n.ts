import { encodeMemcomparable, type BatchNode, type Row } from '@tributary/common';
import { keyToString } from '../../state-table/state-table-key.ts';
import { BATCH_ROWS, type BatchStream, type BuildChild } from './batch-executor.ts';
import { rowComparator } from './sort.ts';

type GroupTopNNode = Extract<BatchNode, { kind: 'groupTopN' }>;

/** Per group, the first `limit` rows in `keys` order (stable), plus row_number() when asked. */
export async function* executeGroupTopN(node: GroupTopNNode, build: BuildChild): BatchStream {
  const types = node.groupKey.map((c) => node.input.schema[c]);
  const orders = node.groupKey.map(() => 'asc' as const);
  const groups = new Map<string, Row[]>();
  for await (const batch of build(node.input)) {
    for (const r of batch) {
      const k = keyToString(encodeMemcomparable(types, orders, node.groupKey.map((c) => r[c])));
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(r);
    }
  }
  const cmp = rowComparator(node.keys, node.input.schema);
  let out: Row[] = [];
  for (const rows of groups.values()) {
    rows.sort(cmp);
    rows.slice(0, node.limit).forEach((r, i) => out.push(node.withRank ? [...r, BigInt(i + 1)] : r));
    if (out.length >= BATCH_ROWS) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
