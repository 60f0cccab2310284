import type { BatchNode } from '@tributary/common';
import type { BatchStream, BuildChild } from './batch-executor.ts';

type LimitNode = Extract<BatchNode, { kind: 'limit' }>;

/** Skips `offset` rows, then passes at most `limit` rows; stops pulling its input once done. */
export async function* executeLimit(node: LimitNode, build: BuildChild): BatchStream {
  let skip = node.offset;
  let left = node.limit ?? Infinity;
  if (left <= 0) return;
  for await (const rows of build(node.input)) {
    let start = 0;
    if (skip > 0) {
      start = Math.min(skip, rows.length);
      skip -= start;
    }
    const end = Math.min(rows.length, start + left);
    if (end > start) {
      left -= end - start;
      yield start === 0 && end === rows.length ? rows : rows.slice(start, end);
    }
    if (left <= 0) return;
  }
}
