import type { BatchNode, Row } from '@tributary/common';
import { windowRows } from '../../stream/executor/time-window.ts';
import type { BatchStream, BuildChild } from './batch-executor.ts';

type TimeWindowNode = Extract<BatchNode, { kind: 'timeWindow' }>;

/** TUMBLE / HOP over a batch input: window_start, window_end appended; hop repeats rows. */
export async function* executeTimeWindow(node: TimeWindowNode, build: BuildChild): BatchStream {
  const size = BigInt(node.sizeMicros);
  const slide = BigInt(node.slideMicros);
  for await (const rows of build(node.input)) {
    const out: Row[] = [];
    for (const r of rows) out.push(...windowRows(r, node.timeCol, size, slide));
    if (out.length > 0) yield out;
  }
}
