import { buildExpr, type BatchNode } from '@tributary/common';
import { toColumns, type BatchStream, type BuildChild } from './batch-executor.ts';

type FilterNode = Extract<BatchNode, { kind: 'filter' }>;

/** Rows whose predicate is exactly true. */
export async function* executeFilter(node: FilterNode, build: BuildChild): BatchStream {
  const predicate = buildExpr(node.predicate);
  const width = node.input.schema.length;
  for await (const rows of build(node.input)) {
    const pass = predicate(toColumns(rows, width), rows.length);
    const kept = rows.filter((_, i) => pass[i] === true);
    if (kept.length > 0) yield kept;
  }
}
