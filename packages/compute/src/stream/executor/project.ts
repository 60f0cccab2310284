import { StreamChunk, type ColumnEvaluator, type DataType } from '@tributary/common';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

/** A compiled expression over the columns of `n` rows: `buildExpr(expr)` from common. */
export type ExprFn = ColumnEvaluator;

/** Evaluates `exprs` over every row; ops are kept. */
export class ProjectExecutor implements Executor {
  identity = 'Project';

  constructor(
    private readonly input: Executor,
    readonly schema: DataType[],
    private readonly exprs: ExprFn[],
  ) {}

  async *execute(): AsyncGenerator<Message> {
    for await (const msg of this.input.execute()) {
      if (msg.kind === 'chunk') yield { kind: 'chunk', chunk: projectChunk(msg.chunk, this.exprs) };
      else yield msg;
    }
  }
}

export function projectChunk(chunk: StreamChunk, exprs: ExprFn[]): StreamChunk {
  const n = chunk.cardinality;
  return new StreamChunk(chunk.ops, exprs.map((e) => e(chunk.columns, n)));
}
