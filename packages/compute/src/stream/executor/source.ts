import { Op, StreamChunkBuilder, type Barrier, type DataType, type Datum } from '@tributary/common';
import type { StateTable } from '../../state-table/index.ts';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import type { DmlMessage } from './dml.ts';

/** Generates rows of one split at an offset (null = split exhausted). */
export type SplitReader = (split: number, offset: bigint) => Datum[] | null;

export interface SourceParams {
  schema: DataType[];
  /** Barriers and DML chunks for this table actor, in order. */
  inbox: Channel<DmlMessage>;
  read: SplitReader;
  /** Splits this actor owns. */
  splits: number[];
  /** Rows per second for this actor (its share of the connector's rate). */
  rowsPerSecond: number;
  /** pk = split id (integer); row = [split, next offset (bigint)]. */
  splitTable: StateTable;
  chunkRows?: number;
}

/**
 * A connector source that is also its table's DML entry. Barriers and DML chunks from the inbox
 * come first, in order; while the inbox is empty it reads its splits round-robin, rate-limited.
 * At each barrier the next offset of every split is written to the split table and committed with
 * the epoch, so recovery (which rebuilds this executor at the committed epoch) replays exactly
 * the rows after the committed ones.
 */
export class SourceExecutor implements Executor {
  readonly schema: DataType[];
  readonly identity = 'Source';
  private readonly offsets = new Map<number, bigint>();
  private readonly exhausted = new Set<number>();
  private readonly dirty = new Set<number>();
  private epoch = 0n;

  constructor(private readonly p: SourceParams) {
    this.schema = p.schema;
  }

  async *execute(): AsyncGenerator<Message> {
    // DML chunks that arrive before the first barrier (see DmlExecutor) follow it.
    const early: Array<Extract<DmlMessage, { kind: 'chunk' }>> = [];
    let first = await this.p.inbox.recv();
    while (first?.kind === 'chunk') {
      early.push(first);
      first = await this.p.inbox.recv();
    }
    if (!first) return;
    await this.init(first.barrier);
    yield this.onBarrier(first.barrier);
    for (const held of early) {
      yield { kind: 'chunk', chunk: held.chunk };
      held.done(this.epoch);
    }
    const chunkRows = this.p.chunkRows ?? 256;
    const startMs = Date.now();
    let generated = 0;
    let next = 0;
    for (;;) {
      const allowed = Math.floor(((Date.now() - startMs) / 1000) * this.p.rowsPerSecond) - generated;
      const active = this.p.splits.filter((s) => !this.exhausted.has(s));
      if (this.p.inbox.size === 0 && allowed > 0 && active.length > 0) {
        const split = active[next++ % active.length];
        const chunk = this.readChunk(split, Math.min(allowed, chunkRows));
        if (chunk) {
          generated += chunk.cardinality;
          yield { kind: 'chunk', chunk };
        }
        // Generating and passing chunks on never leaves the microtask queue: without a turn of
        // the event loop, timers and I/O (barriers, heartbeats, pgwire) would starve while a fast
        // source fills one endless epoch in memory.
        await new Promise<void>((res) => setImmediate(res));
        continue;
      }
      if (this.p.inbox.size === 0) {
        const waitMs = active.length === 0 ? 1000 : Math.max(1, Math.ceil(1000 / this.p.rowsPerSecond));
        if (!(await this.p.inbox.waitReadable(waitMs))) {
          if (this.p.inbox.isClosed) return;
          continue;
        }
      }
      const msg = await this.p.inbox.recv();
      if (msg === undefined) return;
      if (msg.kind === 'barrier') {
        yield this.onBarrier(msg.barrier);
      } else {
        yield { kind: 'chunk', chunk: msg.chunk };
        msg.done(this.epoch);
      }
    }
  }

  private async init(barrier: Barrier): Promise<void> {
    this.p.splitTable.init(barrier.prevEpoch);
    for (const s of this.p.splits) {
      const row = await this.p.splitTable.get([s]);
      this.offsets.set(s, row ? (row[1] as bigint) : 0n);
    }
  }

  private readChunk(split: number, rows: number) {
    const builder = new StreamChunkBuilder(this.schema.length, rows + 1);
    let offset = this.offsets.get(split)!;
    for (let i = 0; i < rows; i++) {
      const row = this.p.read(split, offset);
      if (row === null) {
        this.exhausted.add(split);
        break;
      }
      builder.append(Op.Insert, row);
      offset++;
    }
    this.offsets.set(split, offset);
    this.dirty.add(split);
    return builder.take();
  }

  private onBarrier(barrier: Barrier): Message {
    this.epoch = barrier.currEpoch;
    for (const s of this.dirty) {
      const offset = this.offsets.get(s)!;
      this.p.splitTable.insert([s, offset]);
    }
    this.dirty.clear();
    this.p.splitTable.commit(barrier);
    return { kind: 'barrier', barrier };
  }
}
