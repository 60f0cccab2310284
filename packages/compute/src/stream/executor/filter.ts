import { Op, StreamChunk, type DataType, type Datum } from '@tributary/common';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import type { ExprFn } from './project.ts';

/** Keeps rows whose predicate is exactly `true` (NULL and false drop the row). */
export class FilterExecutor implements Executor {
  identity = 'Filter';
  readonly schema: DataType[];

  constructor(
    private readonly input: Executor,
    private readonly predicate: ExprFn,
  ) {
    this.schema = input.schema;
  }

  async *execute(): AsyncGenerator<Message> {
    for await (const msg of this.input.execute()) {
      if (msg.kind !== 'chunk') {
        yield msg;
        continue;
      }
      const chunk = filterChunk(msg.chunk, this.predicate(msg.chunk.columns, msg.chunk.cardinality));
      if (chunk) yield { kind: 'chunk', chunk };
    }
  }
}

/**
 * The rows of `chunk` where `pass` is true, or null when none pass. An update pair where only one
 * side passes becomes a plain Delete (old passed) or Insert (new passed).
 */
export function filterChunk(chunk: StreamChunk, pass: Datum[]): StreamChunk | null {
  const n = chunk.cardinality;
  const ops: number[] = [];
  const picked: number[] = [];
  for (let i = 0; i < n; i++) {
    const op = chunk.ops[i];
    if (op === Op.UpdateDelete && i + 1 < n && chunk.ops[i + 1] === Op.UpdateInsert) {
      const oldPass = pass[i] === true;
      const newPass = pass[i + 1] === true;
      if (oldPass) {
        ops.push(newPass ? Op.UpdateDelete : Op.Delete);
        picked.push(i);
      }
      if (newPass) {
        ops.push(oldPass ? Op.UpdateInsert : Op.Insert);
        picked.push(i + 1);
      }
      i++;
    } else if (pass[i] === true) {
      ops.push(op);
      picked.push(i);
    }
  }
  if (picked.length === 0) return null;
  if (picked.length === n) return chunk.ops.every((op, i) => op === ops[i]) ? chunk : new StreamChunk(Uint8Array.from(ops), chunk.columns);
  const columns = chunk.columns.map((col) => picked.map((i) => col[i]));
  return new StreamChunk(Uint8Array.from(ops), columns);
}
