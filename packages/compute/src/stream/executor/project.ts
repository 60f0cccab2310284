import { StreamChunk, type ColumnEvaluator, type DataType, type Expr } from '@tributary/common';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

/** A compiled expression over the columns of `n` rows: `buildExpr(expr)` from common. */
export type ExprFn = ColumnEvaluator;

/**
 * Evaluates `exprs` over every row; ops are kept. A watermark on input column c goes on as one on
 * every output that is a plain reference to c (`outputsOf`), and is dropped when there is none.
 */
export class ProjectExecutor implements Executor {
  identity = 'Project';

  constructor(
    private readonly input: Executor,
    readonly schema: DataType[],
    private readonly exprs: ExprFn[],
    /** Input column -> output columns that copy it. */
    private readonly outputsOf: ReadonlyMap<number, number[]> = new Map(),
  ) {}

  async *execute(): AsyncGenerator<Message> {
    for await (const msg of this.input.execute()) {
      if (msg.kind === 'chunk') yield { kind: 'chunk', chunk: projectChunk(msg.chunk, this.exprs) };
      else if (msg.kind === 'barrier') yield msg;
      else for (const column of this.outputsOf.get(msg.column) ?? []) yield { ...msg, column };
    }
  }
}

/** For `ProjectExecutor`: input column -> the outputs that are plain references to it. */
export function watermarkOutputs(exprs: readonly Expr[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  exprs.forEach((e, i) => {
    if (e.kind !== 'input') return;
    const list = out.get(e.index) ?? [];
    list.push(i);
    out.set(e.index, list);
  });
  return out;
}

export function projectChunk(chunk: StreamChunk, exprs: ExprFn[]): StreamChunk {
  const n = chunk.cardinality;
  return new StreamChunk(chunk.ops, exprs.map((e) => e(chunk.columns, n)));
}
