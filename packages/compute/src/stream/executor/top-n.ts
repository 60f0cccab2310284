import { Op, StreamChunkBuilder, encodeRow, isInsertOp, type DataType, type Datum, type Row, type StreamChunk } from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import { keyToString } from '../../state-table/state-table-key.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

export interface TopNParams {
  input: Executor;
  /** Input columns, then row_number() (bigint) when `withRank`. */
  schema: DataType[];
  groupKey: number[];
  limit: number;
  offset: number;
  withRank: boolean;
  /** Every input row; pk = group key ++ order columns ++ stream key (rows in output order). */
  table: StateTable;
  groupCacheMax?: number;
}

/** A group's window as last emitted: rows in rank order. */
type Window = Row[];

const DEFAULT_GROUP_CACHE = 10_000;

/**
 * Top-N and group top-N with retractions (RisingWave's TopNExecutor / GroupTopNExecutor, keeping
 * every row in the state table and the emitted windows in memory):
 *
 * 1. A chunk row: before the first write to its group in an epoch, the group's current window is
 *    read (prefix scan, first offset + limit rows) unless cached; then the row is written to (or
 *    deleted from) the table and the group marked dirty.
 * 2. A barrier: each dirty group's new window is read and compared with the old one by pk: rows
 *    gone are deleted, rows new are inserted, rows whose content or rank changed become U-/U+.
 *    Then the table commits and the barrier goes on. The windows always equal what the committed
 *    table yields, so a restarted executor continues from storage alone.
 */
export class TopNExecutor implements Executor {
  identity = 'TopN';
  readonly schema: DataType[];
  private readonly windows = new Map<string, Window>();
  private readonly dirty = new Map<string, Datum[]>();
  private readonly rowTypes: DataType[];

  constructor(private readonly p: TopNParams) {
    this.schema = p.schema;
    this.rowTypes = p.input.schema;
  }

  async *execute(): AsyncGenerator<Message> {
    let initialized = false;
    for await (const msg of this.p.input.execute()) {
      if (msg.kind === 'chunk') {
        await this.applyChunk(msg.chunk);
      } else if (msg.kind === 'barrier') {
        if (!initialized) {
          this.p.table.init(msg.barrier.prevEpoch);
          initialized = true;
        }
        for (const chunk of await this.flush()) yield { kind: 'chunk', chunk };
        this.p.table.commit(msg.barrier);
        yield msg;
      }
    }
  }

  private async applyChunk(chunk: StreamChunk): Promise<void> {
    for (let i = 0; i < chunk.cardinality; i++) {
      const row = chunk.row(i);
      const key = this.p.groupKey.map((c) => row[c]);
      const k = this.groupString(key);
      if (!this.dirty.has(k)) {
        if (!this.windows.has(k)) this.windows.set(k, await this.readWindow(key));
        this.dirty.set(k, key);
      }
      if (isInsertOp(chunk.ops[i])) this.p.table.insert(row);
      else this.p.table.delete(row);
    }
  }

  private async flush(): Promise<StreamChunk[]> {
    const builder = new StreamChunkBuilder(this.schema.length);
    const chunks: StreamChunk[] = [];
    const emit = (op: number, row: Row, rank: number): void => {
      const full = builder.append(op, this.p.withRank ? [...row, BigInt(rank)] : row);
      if (full) chunks.push(full);
    };
    for (const [k, key] of this.dirty) {
      const old = this.windows.get(k) ?? [];
      const next = await this.readWindow(key);
      this.diff(old, next, emit);
      this.windows.set(k, next);
    }
    this.dirty.clear();
    this.evict();
    const last = builder.take();
    if (last) chunks.push(last);
    return chunks;
  }

  /** Emits old -> next: deletes, then updates (content or rank changed), then inserts. */
  private diff(old: Window, next: Window, emit: (op: number, row: Row, rank: number) => void): void {
    const base = this.p.offset + 1;
    const oldByPk = new Map(old.map((r, i) => [this.pkString(r), { row: r, rank: base + i }]));
    const nextByPk = new Map(next.map((r, i) => [this.pkString(r), { row: r, rank: base + i }]));
    for (const [pk, o] of oldByPk) if (!nextByPk.has(pk)) emit(Op.Delete, o.row, o.rank);
    for (const [pk, n] of nextByPk) {
      const o = oldByPk.get(pk);
      if (!o || (o.rank === n.rank || !this.p.withRank) && this.sameRow(o.row, n.row)) continue;
      emit(Op.UpdateDelete, o.row, o.rank);
      emit(Op.UpdateInsert, n.row, n.rank);
    }
    for (const [pk, n] of nextByPk) if (!oldByPk.has(pk)) emit(Op.Insert, n.row, n.rank);
  }

  /** Rows offset .. offset + limit - 1 of the group, in pk (= output) order. */
  private async readWindow(key: Datum[]): Promise<Window> {
    const out: Row[] = [];
    let skipped = 0;
    const end = this.p.limit;
    if (end === 0) return out;
    for await (const row of this.p.table.iterWithPrefix(key)) {
      if (skipped < this.p.offset) {
        skipped++;
        continue;
      }
      out.push(row);
      if (out.length >= end) break;
    }
    return out;
  }

  private groupString(key: Datum[]): string {
    return key.length === 0 ? '' : keyToString(this.p.table.encodePk(key));
  }

  private pkString(row: Row): string {
    return keyToString(this.p.table.encodePk(this.p.table.pkOf(row)));
  }

  private sameRow(a: Row, b: Row): boolean {
    return keyToString(encodeRow(this.rowTypes, a)) === keyToString(encodeRow(this.rowTypes, b));
  }

  private evict(): void {
    const max = this.p.groupCacheMax ?? DEFAULT_GROUP_CACHE;
    for (const k of this.windows.keys()) {
      if (this.windows.size <= max) break;
      this.windows.delete(k);
    }
  }
}

