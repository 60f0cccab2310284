import { DbError, SqlState, type BatchNode, type Row } from '@tributary/common';
import type { TurnClock } from './turn-clock.ts';

/** Snapshot reads of the state store (user keys, newest version at or below `epoch`). */
export interface SnapshotReader {
  iter(start: Uint8Array, end: Uint8Array | null, epoch: bigint): AsyncGenerator<[Uint8Array, Uint8Array]>;
}

export interface BatchContext {
  reader: SnapshotReader;
  epoch: bigint;
  signal?: AbortSignal;
  /** Set by `executeBatch`: the query's event-loop turns between operator batches. */
  clock?: TurnClock;
}

/** Batches of rows; an operator stops pulling its input as soon as it needs no more. */
export type BatchStream = AsyncGenerator<Row[]>;

/** Builds the stream of a child node. */
export type BuildChild = (node: BatchNode) => BatchStream;

export const BATCH_ROWS = 1024;

export function checkAborted(ctx: BatchContext): void {
  if (ctx.signal?.aborted) {
    throw new DbError(SqlState.QueryCanceled, 'canceling statement due to user request', { cause: ctx.signal.reason });
  }
}

/** Rows to column vectors, the shape compiled expressions take. */
export function toColumns(rows: Row[], width: number): Row[] {
  const cols: Row[] = [];
  for (let c = 0; c < width; c++) {
    const col = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) col[i] = rows[i][c];
    cols.push(col);
  }
  return cols;
}
