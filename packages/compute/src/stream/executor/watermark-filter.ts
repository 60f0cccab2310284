import type { Barrier, DataType, Datum, StreamChunk } from '@tributary/common';
import type { StateTable } from '../../state-table/index.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import { filterChunk } from './filter.ts';

export interface WatermarkFilterParams {
  input: Executor;
  /** The watermark column (timestamp or timestamptz: bigint microseconds). */
  column: number;
  delayMicros: bigint;
  /** columns = [vnode smallint, watermark]; pk = [vnode]. This actor writes one row, at `ownVnode`. */
  table: StateTable;
  ownVnode: number;
}

/**
 * `WATERMARK FOR col AS col - delay` (RisingWave's WatermarkFilterExecutor):
 *
 * 1. A chunk: rows whose `col` is NULL or below the current watermark are late and dropped (an
 *    update pair losing one half becomes a plain Delete/Insert); then, when `max(col) - delay`
 *    exceeds the watermark, it advances and a Watermark message follows the chunk.
 * 2. A barrier: the watermark, if it moved, is written to the state table and committed; then the
 *    actor adopts the max over every actor's committed row, so actors that see no rows still
 *    advance (a downstream merge forwards the minimum over its inputs). The current watermark
 *    follows every barrier, so a view created later (a new merge) gets it without waiting for
 *    new rows; downstream, merges and aggregations act only when it advances.
 * 3. On the first barrier the committed watermarks are read back: recovery resumes where it was.
 */
export class WatermarkFilterExecutor implements Executor {
  identity = 'WatermarkFilter';
  readonly schema: DataType[];
  private watermark: bigint | null = null;
  private persisted: bigint | null = null;

  constructor(private readonly p: WatermarkFilterParams) {
    this.schema = p.input.schema;
  }

  async *execute(): AsyncGenerator<Message> {
    let initialized = false;
    for await (const msg of this.p.input.execute()) {
      if (msg.kind === 'chunk') {
        const { chunk, max } = this.filter(msg.chunk);
        if (chunk) yield { kind: 'chunk', chunk };
        if (max !== null && (this.watermark === null || max - this.p.delayMicros > this.watermark)) {
          this.watermark = max - this.p.delayMicros;
          yield this.watermarkMessage();
        }
      } else if (msg.kind === 'barrier') {
        if (!initialized) {
          this.p.table.init(msg.barrier.prevEpoch);
          initialized = true;
        }
        await this.onBarrier(msg.barrier);
        yield msg;
        if (this.watermark !== null) yield this.watermarkMessage();
      }
      // Upstream watermarks on other columns: none exist below a source or DML.
    }
  }

  private watermarkMessage(): Message {
    return { kind: 'watermark', column: this.p.column, value: this.watermark };
  }

  /** The rows not late, and the max of `col` over them. */
  private filter(chunk: StreamChunk): { chunk: StreamChunk | null; max: bigint | null } {
    const col = chunk.columns[this.p.column];
    const n = chunk.cardinality;
    const pass = new Array<Datum>(n);
    const wm = this.watermark;
    let max: bigint | null = null;
    for (let i = 0; i < n; i++) {
      const v = col[i] as bigint | null;
      const ok = v !== null && (wm === null || v >= wm);
      pass[i] = ok;
      if (ok && (max === null || v! > max)) max = v;
    }
    return { chunk: filterChunk(chunk, pass), max };
  }

  /** Persists this actor's watermark and adopts the max over all actors. */
  private async onBarrier(barrier: Barrier): Promise<void> {
    if (this.watermark !== null && this.watermark !== this.persisted) {
      this.p.table.insert([this.p.ownVnode, this.watermark]);
      this.persisted = this.watermark;
    }
    this.p.table.commit(barrier);
    let global: bigint | null = null;
    for await (const row of this.p.table.iterWholeTable()) {
      const v = row[1] as bigint | null;
      if (v !== null && (global === null || v > global)) global = v;
    }
    if (global !== null && (this.watermark === null || global > this.watermark)) this.watermark = global;
  }
}
