import { Op, StreamChunk, StreamChunkBuilder, type DataType, type Row } from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

export interface TableScanParams {
  /** The live stream of the upstream materialize (no-shuffle, same vnodes). */
  upstream: Executor;
  /** The upstream table, read-only, over the same vnodes. */
  upstreamTable: StateTable;
  /** Upstream columns to output. */
  outputIndices: number[];
  /** pk = vnode (smallint); row = [vnode, done boolean]. */
  progressTable: StateTable;
  vnodes: number[];
  snapshotChunkRows?: number;
}

/**
 * Backfill then live stream (RisingWave's StreamTableScan, non-interleaved):
 *
 * 1. On the first barrier B: yield B, then, for owned vnodes whose progress is not done, read the
 *    upstream snapshot at B.prevEpoch and yield it as Insert chunks; mark those vnodes done.
 * 2. Then pass the live stream through (projected). It only holds epochs > B.prevEpoch, so no row
 *    is seen twice. The progress table is committed at every barrier.
 */
export class TableScanExecutor implements Executor {
  identity = 'TableScan';
  readonly schema: DataType[];

  constructor(private readonly p: TableScanParams) {
    this.schema = p.outputIndices.map((i) => p.upstream.schema[i]);
  }

  async *execute(): AsyncGenerator<Message> {
    let first = true;
    for await (const msg of this.p.upstream.execute()) {
      if (msg.kind === 'chunk') {
        yield { kind: 'chunk', chunk: projectColumns(msg.chunk, this.p.outputIndices) };
      } else if (msg.kind === 'barrier') {
        if (first) {
          first = false;
          this.p.upstreamTable.init(msg.barrier.prevEpoch);
          this.p.progressTable.init(msg.barrier.prevEpoch);
          const pending = await this.pendingVnodes();
          this.p.progressTable.commit(msg.barrier);
          yield msg;
          yield* this.backfill(pending);
        } else {
          this.p.progressTable.commit(msg.barrier);
          yield msg;
        }
      } else {
        const column = this.p.outputIndices.indexOf(msg.column);
        if (column >= 0) yield { ...msg, column };
      }
    }
  }

  private async pendingVnodes(): Promise<number[]> {
    const pending: number[] = [];
    for (const vnode of this.p.vnodes) {
      const row = await this.p.progressTable.get([vnode]);
      if (!row || row[1] !== true) pending.push(vnode);
    }
    return pending;
  }

  /** Snapshot of `vnodes` (at the first barrier's prev epoch) as Insert chunks; marks them done. */
  private async *backfill(vnodes: number[]): AsyncGenerator<Message> {
    const idx = this.p.outputIndices;
    const builder = new StreamChunkBuilder(idx.length, this.p.snapshotChunkRows);
    for (const vnode of vnodes) {
      for await (const row of this.p.upstreamTable.iterWithPrefix([], vnode)) {
        const out: Row = idx.map((i) => row[i]);
        const chunk = builder.append(Op.Insert, out);
        if (chunk) yield { kind: 'chunk', chunk };
      }
      this.p.progressTable.insert([vnode, true]);
    }
    const last = builder.take();
    if (last) yield { kind: 'chunk', chunk: last };
  }
}

export function projectColumns(chunk: StreamChunk, indices: number[]): StreamChunk {
  return new StreamChunk(chunk.ops, indices.map((i) => chunk.columns[i]));
}
