import type { DeleteStatement, InsertStatement, UpdateStatement } from 'pgsql-ast-parser';
import { buildExpr, Op, type Datum, type Row } from '@tributary/common';
import { executeBatch } from '@tributary/compute/batch';
import { planDelete, planInsert, planUpdate } from '../planner/plan-dml.ts';
import { checkNotNull, checkNotNullRows, notNullColumns } from '../planner/not-null.ts';
import type { HandlerContext } from './handler-context.ts';
import { command } from './result.ts';
import type { StatementResult } from '../pgwire/index.ts';

/**
 * INSERT/UPDATE/DELETE. UPDATE and DELETE find their rows in the committed snapshot (writes not
 * yet committed are not seen, as in RisingWave), then send the changes to the table's writers.
 * Acknowledged once every writer actor has taken the rows into its stream; FLUSH (or the next
 * checkpoint, within a second) makes them durable and visible.
 */
/**
 * With `implicit_flush` on (the default), a write is acknowledged only once the checkpoint that
 * holds it is committed: no acknowledged write is lost when any node dies. Concurrent writers share
 * checkpoints (meta's group commit window), so the cost is latency, not throughput.
 */
async function makeDurable(ctx: HandlerContext, epoch: bigint): Promise<void> {
  if ((ctx.settings.get('implicit_flush') ?? 'on') === 'on' && epoch > 0n) await ctx.meta.flush(epoch);
}

export async function handleInsert(ctx: HandlerContext, ast: InsertStatement): Promise<StatementResult> {
  const { table, rows } = await planInsertRows(ctx, ast);
  await makeDurable(ctx, await ctx.dml.write(table, rows.map((r) => [Op.Insert, r])));
  return command(`INSERT 0 ${rows.length}`);
}

async function planInsertRows(ctx: HandlerContext, ast: InsertStatement) {
  const planned = planInsert(ast, ctx.catalog);
  if ('rows' in planned) return { table: planned.table, rows: planned.rows as Row[] };
  const rows = await scanRows(ctx, planned.query);
  checkNotNullRows(planned.table, rows);
  return { table: planned.table, rows };
}

async function scanRows(ctx: HandlerContext, plan: Parameters<typeof executeBatch>[0]): Promise<Row[]> {
  const snap = ctx.meta.snapshot();
  const out: Row[] = [];
  try {
    for await (const batch of executeBatch(plan, { reader: snap.reader, epoch: snap.epoch, signal: ctx.signal })) out.push(...batch);
  } finally {
    snap.release();
  }
  return out;
}

export async function handleDelete(ctx: HandlerContext, ast: DeleteStatement): Promise<StatementResult> {
  const { table, scan } = planDelete(ast, ctx.catalog);
  const rows = await scanRows(ctx, scan);
  await makeDurable(ctx, await ctx.dml.write(table, rows.map((r) => [Op.Delete, r])));
  return command(`DELETE ${rows.length}`);
}

export async function handleUpdate(ctx: HandlerContext, ast: UpdateStatement): Promise<StatementResult> {
  const { table, scan, newRow } = planUpdate(ast, ctx.catalog);
  const oldRows = await scanRows(ctx, scan);
  if (oldRows.length === 0) return command('UPDATE 0');
  const width = oldRows[0].length;
  const columns: Datum[][] = Array.from({ length: width }, (_, c) => oldRows.map((r) => r[c]));
  const newColumns = newRow.map((e) => buildExpr(e)(columns, oldRows.length));
  const pk = table.storage.pk;
  const changes: Array<[number, Row]> = [];
  const notNull = notNullColumns(table);
  for (let i = 0; i < oldRows.length; i++) {
    const next = newColumns.map((col) => col[i]);
    if (notNull.length > 0) checkNotNull(table, next, notNull);
    const samePk = pk.every((k) => keyEq(oldRows[i][k], next[k]));
    if (samePk) changes.push([Op.UpdateDelete, oldRows[i]], [Op.UpdateInsert, next]);
    else changes.push([Op.Delete, oldRows[i]], [Op.Insert, next]);
  }
  await makeDurable(ctx, await ctx.dml.write(table, changes));
  return command(`UPDATE ${oldRows.length}`);
}

function keyEq(a: Datum, b: Datum): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return String(a) === String(b);
}
