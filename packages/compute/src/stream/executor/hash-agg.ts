import type { DataType } from '@tributary/common';
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
