import { Op, StreamChunk, StreamChunkBuilder, type DataType, type Datum, type Row } from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import { keyToString } from '../../state-table/state-table-key.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

export type ConflictBehavior = 'overwrite' | 'none';

const DEFAULT_CACHE_ROWS = 100_000;

/**
 * Persists its input into `table` and forwards the changes; commits the table at each barrier
 * before forwarding it.
 *
 * `conflict: 'none'` (MVs) applies the input as given. `'overwrite'` (tables) reconciles each row
 * with the stored one: an insert of an existing pk becomes U-(stored) U+(new), a delete of a
 * missing pk is dropped, and a delete emits the stored row rather than the input row.
 */
export class MaterializeExecutor implements Executor {
  identity = 'Materialize';
  readonly schema: DataType[];
  /** pk (memcomparable, latin1) -> current row or null (known absent); write-through LRU. */
  private readonly cache = new Map<string, Row | null>();
  private initialized = false;

  constructor(
    private readonly input: Executor,
    private readonly table: StateTable,
    private readonly conflict: ConflictBehavior,
    private readonly cacheRowsMax = DEFAULT_CACHE_ROWS,
  ) {
    this.schema = input.schema;
  }

  async *execute(): AsyncGenerator<Message> {
    for await (const msg of this.input.execute()) {
      if (msg.kind === 'barrier') {
        if (!this.initialized) {
          this.table.init(msg.barrier.prevEpoch);
          this.initialized = true;
        }
        this.table.commit(msg.barrier);
        yield msg;
      } else if (msg.kind === 'chunk') {
        if (this.conflict === 'none') {
          this.applyAsGiven(msg.chunk);
          yield msg;
        } else {
          const out = await this.applyOverwrite(msg.chunk);
          if (out) yield { kind: 'chunk', chunk: out };
        }
      } else {
        yield msg;
      }
    }
  }

  private applyAsGiven(chunk: StreamChunk): void {
    for (let i = 0; i < chunk.cardinality; i++) {
      const row = chunk.row(i);
      if (chunk.ops[i] === Op.Insert || chunk.ops[i] === Op.UpdateInsert) this.table.insert(row);
      else this.table.delete(row);
    }
  }

  private async applyOverwrite(chunk: StreamChunk): Promise<StreamChunk | null> {
    // At most 2 output rows per input row: the capacity is never reached, so append never returns a chunk.
    const builder = new StreamChunkBuilder(chunk.columns.length, chunk.cardinality * 2 + 1);
    const n = chunk.cardinality;
    for (let i = 0; i < n; i++) {
      const op = chunk.ops[i];
      if (op === Op.UpdateDelete && i + 1 < n && chunk.ops[i + 1] === Op.UpdateInsert) {
        const deleted = await this.deleteRow(chunk.row(i));
        const newRow = chunk.row(i + 1);
        const replaced = await this.insertRow(newRow);
        if (deleted && replaced) builder.append(Op.Delete, deleted);
        const old = replaced ?? deleted;
        if (old) {
          builder.append(Op.UpdateDelete, old);
          builder.append(Op.UpdateInsert, newRow);
        } else {
          builder.append(Op.Insert, newRow);
        }
        i++;
      } else if (op === Op.Insert || op === Op.UpdateInsert) {
        const row = chunk.row(i);
        const old = await this.insertRow(row);
        if (old) {
          builder.append(Op.UpdateDelete, old);
          builder.append(Op.UpdateInsert, row);
        } else {
          builder.append(Op.Insert, row);
        }
      } else {
        const deleted = await this.deleteRow(chunk.row(i));
        if (deleted) builder.append(Op.Delete, deleted);
      }
    }
    return builder.take();
  }

  /** Writes `row`; returns the row it replaced, if any. */
  private async insertRow(row: Row): Promise<Row | null> {
    const pk = this.table.pkOf(row);
    const key = this.cacheKey(pk);
    const old = await this.lookup(key, pk);
    if (old) this.table.update(old, row);
    else this.table.insert(row);
    this.remember(key, row);
    return old;
  }

  /** Deletes the row with `row`'s pk; returns the stored row, or null when there was none. */
  private async deleteRow(row: Row): Promise<Row | null> {
    const pk = this.table.pkOf(row);
    const key = this.cacheKey(pk);
    const old = await this.lookup(key, pk);
    if (old) this.table.delete(old);
    this.remember(key, null);
    return old;
  }

  private async lookup(key: string, pk: Datum[]): Promise<Row | null> {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    return this.table.get(pk);
  }

  private remember(key: string, row: Row | null): void {
    this.cache.delete(key);
    this.cache.set(key, row);
    if (this.cache.size > this.cacheRowsMax) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
  }

  private cacheKey(pk: Datum[]): string {
    return keyToString(this.table.encodePk(pk));
  }
}
