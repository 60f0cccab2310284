import { Op, RowIdGenerator, StreamChunk, type Datum } from '@tributary/common';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

/** Fills the hidden row id column of Insert rows with ids in the actor's vnodes. */
export class RowIdGenExecutor implements Executor {
  identity = 'RowIdGen';
  readonly schema;
  private readonly generator: RowIdGenerator;

  constructor(
    private readonly input: Executor,
    private readonly rowIdIndex: number,
    vnodes: number[],
  ) {
    this.schema = input.schema;
    this.generator = new RowIdGenerator(vnodes);
  }

  async *execute(): AsyncGenerator<Message> {
    for await (const msg of this.input.execute()) {
      if (msg.kind === 'chunk') yield { kind: 'chunk', chunk: fillRowIds(msg.chunk, this.rowIdIndex, () => this.generator.next()) };
      else yield msg;
    }
  }
}

/** A copy of `chunk` whose Insert rows carry fresh ids in column `rowIdIndex`. */
export function fillRowIds(chunk: StreamChunk, rowIdIndex: number, next: () => bigint): StreamChunk {
  const ids: Datum[] = chunk.columns[rowIdIndex].slice();
  for (let i = 0; i < chunk.cardinality; i++) {
    if (chunk.ops[i] === Op.Insert) ids[i] = next();
  }
  const columns = chunk.columns.slice();
  columns[rowIdIndex] = ids;
  return new StreamChunk(chunk.ops, columns);
}
