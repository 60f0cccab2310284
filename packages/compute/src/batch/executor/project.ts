import { buildExpr, type BatchNode, type Row } from '@tributary/common';
import { toColumns, type BatchStream, type BuildChild } from './batch-executor.ts';

type ProjectNode = Extract<BatchNode, { kind: 'project' }>;

export async function* executeProject(node: ProjectNode, build: BuildChild): BatchStream {
  const exprs = node.exprs.map((e) => buildExpr(e));
  const width = node.input.schema.length;
  for await (const rows of build(node.input)) {
    const columns = toColumns(rows, width);
    const outCols = exprs.map((e) => e(columns, rows.length));
    const out: Row[] = rows.map((_, i) => outCols.map((col) => col[i]));
    yield out;
  }
}
