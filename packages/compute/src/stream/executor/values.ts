import { Op, StreamChunkBuilder, type DataType, type Row } from '@tributary/common';
import type { StateTable } from '../../state-table/index.ts';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import type { DmlMessage } from './dml.ts';

/** The one row of the state table: `[0, true]` once the rows were emitted. */
const EMITTED_KEY = 0;

/**
 * `VALUES` in a view (see `ValuesNode`): yields each barrier of its inbox; after the first one it
 * reads its state table and, unless the rows were already emitted in a committed epoch, emits
 * them as Inserts and records that in the same epoch as the rows.
 */
export class ValuesExecutor implements Executor {
  identity = 'Values';

  constructor(
    readonly schema: DataType[],
    private readonly rows: Row[],
    private readonly inbox: Channel<DmlMessage>,
    private readonly table: StateTable,
    private readonly chunkRows = 256,
  ) {}

  async *execute(): AsyncGenerator<Message> {
    let first = true;
    for (;;) {
      const msg = await this.inbox.recv();
      if (msg === undefined) return;
      if (msg.kind !== 'barrier') throw new Error('values: only barriers may be injected');
      const barrier = msg.barrier;
      if (!first) this.table.commit(barrier);
      yield { kind: 'barrier', barrier };
      if (!first) continue;
      first = false;
      this.table.init(barrier.prevEpoch);
      if (await this.table.get([EMITTED_KEY])) continue;
      this.table.insert([EMITTED_KEY, true]);
      const builder = new StreamChunkBuilder(this.schema.length, this.chunkRows);
      for (const row of this.rows) {
        const chunk = builder.append(Op.Insert, row);
        if (chunk) yield { kind: 'chunk', chunk };
      }
      const last = builder.take();
      if (last) yield { kind: 'chunk', chunk: last };
    }
  }
}
