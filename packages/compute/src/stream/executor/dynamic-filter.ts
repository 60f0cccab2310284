import { isInsertOp, Op, StreamChunkBuilder, type Barrier, type StreamChunk, type DataType, type Datum, type Row } from '@tributary/common';
import type { StateTable } from '../../state-table/index.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import { filterChunk } from './filter.ts';

export interface DynamicFilterParams {
  left: Executor;
  /** One timestamp column: the latest value (any insert-side row) is `now()`. */
  right: Executor;
  column: number;
  op: '>' | '>=';
  offsetMicros: bigint;
  /** The left rows in range; pk = column ++ left stream key (asc), dist key = the left's. */
  table: StateTable;
  chunkRows?: number;
}

type Pulled = { side: number; r: IteratorResult<Message> };

/**
 * Temporal filter `left[column] op now() + offset` (see `DynamicFilterNode`):
 *
 * 1. Left chunks: rows in range of the current bound are stored (inserts) or removed (deletes)
 *    and forwarded; rows out of range are dropped. The bound only rises, so a row below it is one
 *    never forwarded or one step 3 already retracted. Before the first bound (after creation or
 *    recovery) every row with a time is in range.
 * 2. Right chunks: the newest value becomes the pending bound.
 * 3. At each barrier (aligned over both inputs), a raised bound is applied: per owned vnode the
 *    stored rows are read in column order up to the bound; each below it is emitted as Delete and
 *    removed. Rows forwarded in the same epoch and expired here cancel out before anyone reads.
 */
export class DynamicFilterExecutor implements Executor {
  identity = 'DynamicFilter';
  readonly schema: DataType[];
  private bound: bigint | null = null;
  private pending: bigint | null = null;

  constructor(private readonly p: DynamicFilterParams) {
    this.schema = p.left.schema;
  }

  async *execute(): AsyncGenerator<Message> {
    const inputs = [this.p.left.execute(), this.p.right.execute()];
    const pending: (Promise<Pulled> | null)[] = [null, null];
    const blocked: (Barrier | null)[] = [null, null];
    const arm = (i: number): void => {
      pending[i] = inputs[i].next().then((r) => ({ side: i, r }));
    };
    arm(0);
    arm(1);
    let initialized = false;
    try {
      for (;;) {
        if (blocked[0] && blocked[1]) {
          const b = blocked[0];
          if (b.currEpoch !== blocked[1].currEpoch) throw new Error(`dynamic filter: misaligned barriers ${b.currEpoch} and ${blocked[1].currEpoch}`);
          if (!initialized) {
            this.p.table.init(b.prevEpoch);
            initialized = true;
          }
          yield* this.applyBound();
          this.p.table.commit(b);
          blocked[0] = blocked[1] = null;
          yield { kind: 'barrier', barrier: b };
          arm(0);
          arm(1);
          continue;
        }
        const { side, r } = await Promise.race(pending.filter((x): x is Promise<Pulled> => x !== null));
        pending[side] = null;
        if (r.done) return;
        const msg = r.value;
        if (msg.kind === 'barrier') {
          blocked[side] = msg.barrier;
          continue;
        }
        if (msg.kind === 'chunk') {
          if (side === 1) this.observeNow(msg.chunk);
          else {
            const out = this.applyLeft(msg.chunk);
            if (out) yield { kind: 'chunk', chunk: out };
          }
        } else if (side === 0) {
          yield msg; // a watermark of the left input still bounds the rows that pass
        }
        arm(side);
      }
    } finally {
      for (const g of inputs) void g.return(undefined).catch(() => undefined);
    }
  }

  /** True when `v` is in range of `bound`. */
  private passes(v: Datum, bound: bigint): boolean {
    if (v === null) return false;
    return this.p.op === '>' ? (v as bigint) > bound : (v as bigint) >= bound;
  }

  private observeNow(chunk: StreamChunk): void {
    const col = chunk.columns[0];
    for (let i = 0; i < chunk.cardinality; i++) {
      const v = col[i] as bigint | null;
      if (v === null || !isInsertOp(chunk.ops[i])) continue;
      const bound = v + this.p.offsetMicros;
      if (this.pending === null || bound > this.pending) this.pending = bound;
    }
  }

  private applyLeft(chunk: StreamChunk): StreamChunk | null {
    const col = chunk.columns[this.p.column];
    const n = chunk.cardinality;
    const bound = this.bound;
    const pass = new Array<Datum>(n);
    for (let i = 0; i < n; i++) pass[i] = bound === null ? col[i] !== null : this.passes(col[i], bound);
    const out = filterChunk(chunk, pass);
    if (out) for (let i = 0; i < out.cardinality; i++) this.store(out.ops[i], out.row(i));
    return out;
  }

  private store(op: number, row: Row): void {
    if (isInsertOp(op)) this.p.table.insert(row);
    else this.p.table.delete(row);
  }

  /** Applies a raised bound: stored rows now out of range become Deletes (see the class doc). */
  private async *applyBound(): AsyncGenerator<Message> {
    const next = this.pending;
    if (next === null || (this.bound !== null && next <= this.bound)) return;
    this.bound = next;
    const builder = new StreamChunkBuilder(this.schema.length, this.p.chunkRows ?? 256);
    for (const vnode of this.p.table.vnodes) {
      const expired: Row[] = [];
      for await (const row of this.p.table.iterWithPrefix([], vnode)) {
        if (this.passes(row[this.p.column], next)) break; // column order: the rest are in range too
        expired.push(row);
      }
      for (const row of expired) {
        this.p.table.delete(row);
        const c = builder.append(Op.Delete, row);
        if (c) yield { kind: 'chunk', chunk: c };
      }
    }
    const last = builder.take();
    if (last) yield { kind: 'chunk', chunk: last };
  }
}
