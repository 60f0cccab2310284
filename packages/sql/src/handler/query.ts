import type { SelectStatement } from 'pgsql-ast-parser';
import { DbError, SqlState } from '@tributary/common';
import { executeBatch } from '@tributary/compute/batch';
import { planSelect } from '../planner/plan-select.ts';
import type { HandlerContext } from './handler-context.ts';
import { inlineSubqueries } from './inline-subqueries.ts';
import { rowsResult } from './result.ts';
import type { StatementResult } from '../pgwire/index.ts';

/**
 * SELECT over one committed snapshot, run locally on the frontend. Subqueries are planned as joins
 * (as in views); those the planner refuses (0A000) are run first and inlined as constants.
 */
export async function handleQuery(ctx: HandlerContext, select: SelectStatement): Promise<StatementResult> {
  let planned;
  try {
    planned = planSelect(select, ctx.catalog);
  } catch (err) {
    if (!(err instanceof DbError && err.code === SqlState.FeatureNotSupported)) throw err;
    planned = planSelect(await inlineSubqueries(ctx, select), ctx.catalog);
  }
  const needsSnapshot = JSON.stringify(planned.plan).includes('"kind":"scan"');
  const snap = needsSnapshot ? ctx.meta.snapshot() : { reader: null, epoch: 0n, release() {} };
  const rows = executeBatch(planned.plan, { reader: snap.reader as never, epoch: snap.epoch, signal: ctx.signal });
  return rowsResult(planned.fields, releasing(rows, snap.release));
}

/** Yields `rows`, then releases the snapshot (also when the consumer stops early). */
async function* releasing<T>(rows: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* rows;
  } finally {
    release();
  }
}
