import { decodeRow, type BatchNode, type Row } from '@tributary/common';
import { prefixEnd, tablePrefix } from '../../state-table/state-table-key.ts';
import { BATCH_ROWS, checkAborted, type BatchContext, type BatchStream } from './batch-executor.ts';

type ScanNode = Extract<BatchNode, { kind: 'scan' }>;

/** Every row of the table (all vnodes) at the snapshot epoch, projected to `columns`. */
export async function* executeScan(node: ScanNode, ctx: BatchContext): BatchStream {
  const start = tablePrefix(node.table.tableId);
  const types = node.table.columns;
  let batch: Row[] = [];
  for await (const [, value] of ctx.reader.iter(start, prefixEnd(start), ctx.epoch)) {
    const row = decodeRow(types, value);
    batch.push(node.columns.map((c) => row[c]));
    if (batch.length >= BATCH_ROWS) {
      checkAborted(ctx);
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
