import type { BatchNode, Row } from '@tributary/common';
import { checkAborted, type BatchContext, type BatchStream } from './executor/batch-executor.ts';
import { executeFilter } from './executor/filter.ts';
import { executeHashAgg } from './executor/hash-agg.ts';
import { executeHashJoin } from './executor/hash-join.ts';
import { executeLimit } from './executor/limit.ts';
import { executeProject } from './executor/project.ts';
import { executeScan } from './executor/scan.ts';
import { executeSort } from './executor/sort.ts';
import { executeValues } from './executor/values.ts';
import { executeUnion } from './executor/union.ts';
import { executeTimeWindow } from './executor/time-window.ts';
import { executeGroupTopN } from './executor/group-top-n.ts';
import { executeOverWindow } from './executor/over-window.ts';
import { TurnClock } from './executor/turn-clock.ts';

export type { BatchContext, SnapshotReader, BatchStream } from './executor/batch-executor.ts';
export { rowComparator } from './executor/sort.ts';

type Builders = {
  [K in BatchNode['kind']]: (node: Extract<BatchNode, { kind: K }>, ctx: BatchContext) => BatchStream;
};

const BUILDERS: Builders = {
  scan: (node, ctx) => executeScan(node, ctx),
  values: (node) => executeValues(node),
  filter: (node, ctx) => executeFilter(node, (child) => build(child, ctx)),
  project: (node, ctx) => executeProject(node, (child) => build(child, ctx)),
  hashAgg: (node, ctx) => executeHashAgg(node, (child) => build(child, ctx)),
  sort: (node, ctx) => executeSort(node, (child) => build(child, ctx)),
  limit: (node, ctx) => executeLimit(node, (child) => build(child, ctx)),
  hashJoin: (node, ctx) => executeHashJoin(node, (child) => build(child, ctx)),
  timeWindow: (node, ctx) => executeTimeWindow(node, (child) => build(child, ctx)),
  union: (node, ctx) => executeUnion(node, (child) => build(child, ctx)),
  groupTopN: (node, ctx) => executeGroupTopN(node, (child) => build(child, ctx)),
  overWindow: (node, ctx) => executeOverWindow(node, (child) => build(child, ctx)),
};

function build(node: BatchNode, ctx: BatchContext): BatchStream {
  return withTurns((BUILDERS[node.kind] as (n: BatchNode, c: BatchContext) => BatchStream)(node, ctx), ctx);
}

/** Every operator's output: the event loop gets its turns (`TurnClock`), and a cancel is seen. */
async function* withTurns(stream: BatchStream, ctx: BatchContext): BatchStream {
  for await (const rows of stream) {
    await ctx.clock?.maybeYield();
    checkAborted(ctx);
    yield rows;
  }
}

/**
 * Runs a batch plan over the snapshot at `ctx.epoch`, yielding batches of rows. Aborting
 * `ctx.signal` makes the next pull throw a QueryCanceled error; returning early from the
 * generator stops every operator below.
 */
export async function* executeBatch(node: BatchNode, ctx: BatchContext): AsyncGenerator<Row[]> {
  checkAborted(ctx);
  const inner: BatchContext = { ...ctx, clock: new TurnClock() };
  for await (const rows of build(node, inner)) {
    checkAborted(ctx);
    yield rows;
  }
}
