import type { BatchNode } from '@tributary/common';
import type { BatchStream, BuildChild } from './batch-executor.ts';

type UnionNode = Extract<BatchNode, { kind: 'union' }>;

/** UNION ALL: every input's rows, one input after the other. */
export async function* executeUnion(node: UnionNode, build: BuildChild): BatchStream {
  for (const input of node.inputs) yield* build(input);
}
