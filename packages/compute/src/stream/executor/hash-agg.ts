import { compareDatum, type DataType, type Datum, type StreamChunk } from '@tributary/common';
import { filterChunk } from './filter.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import { AggCore } from './agg-group.ts';
import type { SimpleAggParams } from './simple-agg.ts';

/**
 * The simple aggregation's parameters plus a group key. Here the schema is the group key columns
 * then one column per agg call; every state table's pk starts with the group key (result table:
 * group key types, 'bigint' hidden row count, one 'bytea' per agg call — see `AggCore`).
 */
export interface HashAggParams extends SimpleAggParams {
  groupKey: number[];
  groupCacheMax?: number;
  /** EMIT ON WINDOW CLOSE on `groupKey[windowKey]` (see `HashAggNode`). */
  emitOnWindowClose?: { windowKey: number };
}

/**
 * Grouped aggregation with retractions. Emits, at each barrier and before forwarding it, one change
 * per dirty group: Insert (new group), Delete (its row count dropped to 0), U-/U+ (outputs
 * changed). All state is in the result and min/max tables, so a fresh executor over the same store
 * continues where the old one committed.
 */
export class HashAggExecutor implements Executor {
  identity = 'HashAgg';
  readonly schema: DataType[];
  private readonly core: AggCore;

  constructor(private readonly p: HashAggParams) {
    this.schema = p.schema;
    const inputSchema = p.input.schema;
    this.core = new AggCore({
      groupKey: p.groupKey,
      groupKeyTypes: p.groupKey.map((c) => inputSchema[c]),
      aggCalls: p.aggCalls,
      inputStreamKey: p.inputStreamKey,
      resultTable: p.resultTable,
      minMaxTables: p.minMaxTables,
      distinctTables: p.distinctTables,
      inputTypes: p.input.schema,
      alwaysOneRow: false,
      groupCacheMax: p.groupCacheMax,
    });
  }

  /**
   * Watermarks on a group key column go on as watermarks on its output column (emitted after the
   * changes of the barrier that follows, which may still touch older groups); others are dropped.
   * EMIT ON WINDOW CLOSE: changes are not emitted; at each barrier the groups whose window key is
   * below the window column's watermark are emitted once and forgotten, and input rows below it
   * (late for a window already emitted) are dropped.
   */
  async *execute(): AsyncGenerator<Message> {
    let initialized = false;
    const eowc = this.p.emitOnWindowClose;
    const windowCol = eowc ? this.p.groupKey[eowc.windowKey] : -1;
    const windowType = eowc ? this.p.input.schema[windowCol] : null;
    let windowWatermark: Datum = null;
    let drainedUpTo: Datum = null;
    const pendingWatermarks = new Map<number, Datum>();
    for await (const msg of this.p.input.execute()) {
      if (msg.kind === 'chunk') {
        const chunk = eowc && windowWatermark !== null ? dropLate(msg.chunk, windowCol, windowType!, windowWatermark) : msg.chunk;
        if (chunk) await this.core.applyChunk(chunk);
      } else if (msg.kind === 'barrier') {
        if (!initialized) {
          this.core.init(msg.barrier.prevEpoch);
          initialized = true;
        }
        if (eowc) {
          for await (const _ of this.core.flush()); // persists the groups; open windows emit nothing
          const wm = windowWatermark;
          if (wm !== null && wm !== drainedUpTo) {
            drainedUpTo = wm;
            const closed = (key: Datum[]): boolean => key[eowc.windowKey] !== null && compareDatum(windowType!, key[eowc.windowKey], wm) < 0;
            for await (const chunk of this.core.drainClosed(closed)) yield { kind: 'chunk', chunk };
          }
        } else {
          for await (const chunk of this.core.flush()) yield { kind: 'chunk', chunk };
        }
        this.core.commit(msg.barrier);
        yield msg;
        for (const [column, value] of pendingWatermarks) yield { kind: 'watermark', column, value };
        pendingWatermarks.clear();
      } else {
        const out = this.p.groupKey.indexOf(msg.column);
        if (out < 0) continue;
        if (msg.column === windowCol) windowWatermark = msg.value;
        pendingWatermarks.set(out, msg.value);
      }
    }
  }
}

/** The rows of `chunk` whose `col` is not below `watermark` (NULL is never late). */
function dropLate(chunk: StreamChunk, col: number, type: DataType, watermark: Datum): StreamChunk | null {
  const values = chunk.columns[col];
  const pass = values.map((v) => v === null || compareDatum(type, v, watermark) >= 0);
  return filterChunk(chunk, pass);
}
