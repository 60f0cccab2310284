import type { AggCall, DataType } from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import { AggCore } from './agg-group.ts';

export interface SimpleAggParams {
  input: Executor;
  /** One column per agg call. */
  schema: DataType[];
  aggCalls: AggCall[];
  inputStreamKey: number[];
  /** pk = []; columns = 'bigint' (row count), one 'bytea' per agg call. */
  resultTable: StateTable;
  /** Per agg call: for min/max, columns = arg, input stream key (all pk). */
  minMaxTables: (StateTable | null)[];
  /** Per agg call: for DISTINCT count/sum, columns = group key, arg, count (pk = group key, arg). */
  distinctTables?: (StateTable | null)[];
}

/**
 * Global aggregation: exactly one output row. Its Insert is emitted at the first barrier, even
 * over no input (count 0, sum NULL), unless the result table already holds the row (restart);
 * afterwards U-/U+ at each barrier where the outputs changed.
 */
export class SimpleAggExecutor implements Executor {
  identity = 'SimpleAgg';
  readonly schema: DataType[];
  private readonly core: AggCore;

  constructor(private readonly p: SimpleAggParams) {
    this.schema = p.schema;
    this.core = new AggCore({
      groupKey: [],
      groupKeyTypes: [],
      aggCalls: p.aggCalls,
      inputStreamKey: p.inputStreamKey,
      resultTable: p.resultTable,
      minMaxTables: p.minMaxTables,
      distinctTables: p.distinctTables,
      inputTypes: p.input.schema,
      alwaysOneRow: true,
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
          await this.core.ensureSingleGroup();
          initialized = true;
        }
        for await (const chunk of this.core.flush()) yield { kind: 'chunk', chunk };
        this.core.commit(msg.barrier);
        yield msg;
      }
    }
  }
}
