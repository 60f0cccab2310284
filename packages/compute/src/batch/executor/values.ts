import { buildExpr, type BatchNode } from '@tributary/common';
import type { BatchStream } from './batch-executor.ts';

type ValuesNode = Extract<BatchNode, { kind: 'values' }>;

/** Constant rows; each expression is evaluated once over a single empty row. */
export async function* executeValues(node: ValuesNode): BatchStream {
  if (node.rows.length === 0) return;
  yield node.rows.map((exprs) => exprs.map((e) => buildExpr(e)([], 1)[0]));
}
