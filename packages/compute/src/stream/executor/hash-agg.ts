import type { AggCall, DataType } from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import { AggCore } from './agg-group.ts';

export interface HashAggParams {
  input: Executor;
  /** Group key columns then one column per agg call. */
  schema: DataType[];
  groupKey: number[];
  aggCalls: AggCall[];
  /** Input columns identifying an input row; part of the min/max tables' pk. */
  inputStreamKey: number[];
  /**
   * pk = group key; columns = group key types, 'bigint' (hidden row count), one 'bytea' per agg
   * call (encoded state; see `AggCore`).
   */
  resultTable: StateTable;
  /** Per agg call: for min/max, columns = group key, arg, input stream key (all pk). */
  minMaxTables: (StateTable | null)[];
  /** Per agg call: for DISTINCT count/sum, columns = group key, arg, count (pk = group key, arg). */
  distinctTables?: (StateTable | null)[];
  groupCacheMax?: number;
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

  async *execute(): AsyncGenerator<Message> {
    let initialized = false;
    for await (const msg of this.p.input.execute()) {
      if (msg.kind === 'chunk') {
        await this.core.applyChunk(msg.chunk);
      } else if (msg.kind === 'barrier') {
        if (!initialized) {
          this.core.init(msg.barrier.prevEpoch);
          initialized = true;
        }
        for await (const chunk of this.core.flush()) yield { kind: 'chunk', chunk };
        this.core.commit(msg.barrier);
        yield msg;
      }
      // Watermarks are dropped: the output has no column they would still bound.
    }
  }
}
