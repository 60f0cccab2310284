import {
  compareDatum,
  createAccumulator,
  encodeMemcomparable,
  type AggCall,
  type BatchNode,
  type Datum,
  type Row,
} from '@tributary/common';
import { keyToString } from '../../state-table/state-table-key.ts';
import { BATCH_ROWS, type BatchStream, type BuildChild } from './batch-executor.ts';

type HashAggNode = Extract<BatchNode, { kind: 'hashAgg' }>;

/** Insert-only aggregate of one call (NULL arguments already skipped, except for count_star). */
interface BatchAgg {
  add(value: Datum): void;
  output(): Datum;
}

function createBatchAgg(call: AggCall): BatchAgg {
  if (call.kind === 'min' || call.kind === 'max') {
    const type = call.argType!;
    const sign = call.kind === 'min' ? 1 : -1;
    let best: Datum = null;
    return {
      add(v) {
        if (best === null || sign * compareDatum(type, v, best) < 0) best = v;
      },
      output: () => best,
    };
  }
  const acc = createAccumulator(call.kind, call.argType);
  return { add: (v) => acc.apply('insert', v), output: () => acc.output() };
}

/**
 * Hash aggregation; groups are output in first-seen order. With an empty group key the output is
 * exactly one row, even over empty input (count 0, other aggregates NULL).
 */
export async function* executeHashAgg(node: HashAggNode, build: BuildChild): BatchStream {
  const groupTypes = node.groupKey.map((c) => node.input.schema[c]);
  const orders = node.groupKey.map(() => 'asc' as const);
  const groups = new Map<string, { key: Datum[]; aggs: BatchAgg[] }>();
  const newGroup = (key: Datum[]) => ({ key, aggs: node.aggCalls.map(createBatchAgg) });
  if (node.groupKey.length === 0) groups.set('', newGroup([]));
  for await (const rows of build(node.input)) {
    for (const row of rows) {
      const key = node.groupKey.map((c) => row[c]);
      const keyStr = key.length === 0 ? '' : keyToString(encodeMemcomparable(groupTypes, orders, key));
      let group = groups.get(keyStr);
      if (!group) groups.set(keyStr, (group = newGroup(key)));
      for (let j = 0; j < node.aggCalls.length; j++) {
        const call = node.aggCalls[j];
        if (call.kind === 'count_star') group.aggs[j].add(null);
        else if (row[call.arg!] !== null) group.aggs[j].add(row[call.arg!]);
      }
    }
  }
  let out: Row[] = [];
  for (const g of groups.values()) {
    out.push([...g.key, ...g.aggs.map((a) => a.output())]);
    if (out.length >= BATCH_ROWS) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
