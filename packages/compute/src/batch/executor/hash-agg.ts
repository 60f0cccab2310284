import {
  compareDatum,
  createAccumulator,
  encodeMemcomparable,
  type AggCall,
  type AggOrderItem,
  type DataType,
  type BatchNode,
  type Datum,
  type Row,
} from '@tributary/common';
import { keyToString } from '../../state-table/state-table-key.ts';
import { BATCH_ROWS, type BatchStream, type BuildChild } from './batch-executor.ts';

type HashAggNode = Extract<BatchNode, { kind: 'hashAgg' }>;

/** Insert-only aggregate of one call (NULL arguments already skipped, except for count_star). */
interface BatchAgg {
  add(value: Datum, row: Row): void;
  output(): Datum;
}

function createBatchAgg(call: AggCall, inputTypes: DataType[]): BatchAgg {
  const inner = createPlainAgg(call, inputTypes);
  if (!call.distinct) return inner;
  const seen = new Set<string>();
  const types = [call.argType!];
  return {
    add(v, row) {
      const k = keyToString(encodeMemcomparable(types, ['asc'], [v]));
      if (seen.has(k)) return;
      seen.add(k);
      inner.add(v, row);
    },
    output: () => inner.output(),
  };
}

function createPlainAgg(call: AggCall, inputTypes: DataType[]): BatchAgg {
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
  if (call.kind === 'string_agg') return stringAgg(call, inputTypes);
  const acc = createAccumulator(call.kind, call.argType);
  return { add: (v) => acc.apply('insert', v), output: () => acc.output() };
}

/** string_agg: rows kept, stably sorted by the call's ORDER BY at output. */
function stringAgg(call: AggCall, inputTypes: DataType[]): BatchAgg {
  const rows: Row[] = [];
  const order = call.orderBy ?? [];
  return {
    add: (_v, row) => void rows.push(row),
    output() {
      if (order.length > 0) {
        rows.sort((a, b) => {
          for (const o of order) {
            const c = compareOrdered(inputTypes[o.index], o, a[o.index], b[o.index]);
            if (c !== 0) return c;
          }
          return 0;
        });
      }
      let out: string | null = null;
      for (const r of rows) {
        const v = r[call.arg!] as string;
        const d = call.delimiter === undefined || call.delimiter === null ? null : (r[call.delimiter] as string | null);
        out = out === null ? v : out + (d ?? '') + v;
      }
      return out;
    },
  };
}

/** Compares two values under an ORDER BY item (direction and NULL placement). */
function compareOrdered(type: DataType, o: AggOrderItem, a: Datum, b: Datum): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === o.nullsFirst ? -1 : 1;
  }
  const c = compareDatum(type, a, b);
  return o.order === 'desc' ? -c : c;
}

/**
 * Hash aggregation; groups are output in first-seen order. With an empty group key the output is
 * exactly one row, even over empty input (count 0, other aggregates NULL).
 */
export async function* executeHashAgg(node: HashAggNode, build: BuildChild): BatchStream {
  const groupTypes = node.groupKey.map((c) => node.input.schema[c]);
  const orders = node.groupKey.map(() => 'asc' as const);
  const groups = new Map<string, { key: Datum[]; aggs: BatchAgg[] }>();
  const inputTypes = node.input.schema;
  const newGroup = (key: Datum[]) => ({ key, aggs: node.aggCalls.map((c) => createBatchAgg(c, inputTypes)) });
  if (node.groupKey.length === 0) groups.set('', newGroup([]));
  for await (const rows of build(node.input)) {
    for (const row of rows) {
      const key = node.groupKey.map((c) => row[c]);
      const keyStr = key.length === 0 ? '' : keyToString(encodeMemcomparable(groupTypes, orders, key));
      let group = groups.get(keyStr);
      if (!group) groups.set(keyStr, (group = newGroup(key)));
      for (let j = 0; j < node.aggCalls.length; j++) {
        const call = node.aggCalls[j];
        if (call.filter !== undefined && call.filter !== null && row[call.filter] !== true) continue;
        if (call.kind === 'count_star') group.aggs[j].add(null, row);
        else if (row[call.arg!] !== null) group.aggs[j].add(row[call.arg!], row);
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
