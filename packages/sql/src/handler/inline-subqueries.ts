import type { Expr, SelectStatement } from 'pgsql-ast-parser';
import { DbError, formatDatum, notSupported, SqlState, type DataType, type Row } from '@tributary/common';
import { executeBatch } from '@tributary/compute/batch';
import { planSelect } from '../planner/plan-select.ts';
import type { HandlerContext } from './handler-context.ts';

const SUBQUERY_TYPES = new Set(['select', 'union', 'union all', 'values', 'with']);

/**
 * Batch queries: every uncorrelated subquery in an expression position (`(SELECT ...)`,
 * `x [NOT] IN (SELECT ...)`, `EXISTS (SELECT ...)`) is run first, at the same committed snapshot
 * as the query, and replaced by literals. A correlated subquery fails to bind on its own and is
 * reported as not supported. (Views need real semi/anti joins; this is for SELECT only.)
 */
export async function inlineSubqueries<S extends SelectStatement>(ctx: HandlerContext, select: S): Promise<S> {
  const root = structuredClone(select) as unknown as Record<string, unknown>;
  await visitStatement(ctx, root);
  return root as unknown as S;
}

async function visitStatement(ctx: HandlerContext, stmt: Record<string, unknown>): Promise<void> {
  if (stmt.type === 'union' || stmt.type === 'union all') {
    await visitStatement(ctx, stmt.left as Record<string, unknown>);
    await visitStatement(ctx, stmt.right as Record<string, unknown>);
    return;
  }
  const columns = stmt.columns as Array<{ expr: Expr; alias?: { name: string } }> | undefined;
  for (const c of columns ?? []) {
    // PostgreSQL names a scalar subquery column after the subquery's column, EXISTS "exists".
    const e = c.expr as unknown as { type: string; function?: { name: string } };
    if (!c.alias && SUBQUERY_TYPES.has(e.type)) {
      const result = await run(ctx, c.expr as unknown as SelectStatement);
      c.alias = { name: result.names[0] ?? '?column?' };
      c.expr = scalar(result);
      continue;
    }
    if (!c.alias && e.type === 'call' && e.function?.name === 'exists') c.alias = { name: 'exists' };
    c.expr = await visitExpr(ctx, c.expr);
  }
  for (const key of ['where', 'having'] as const) if (stmt[key]) stmt[key] = await visitExpr(ctx, stmt[key] as Expr);
  for (const f of (stmt.from as Array<Record<string, unknown>> | undefined) ?? []) {
    const join = f.join as { on?: Expr } | undefined;
    if (join?.on) join.on = await visitExpr(ctx, join.on);
    if (f.type === 'statement') await visitStatement(ctx, f.statement as Record<string, unknown>);
  }
}

async function visitExpr(ctx: HandlerContext, e: Expr): Promise<Expr> {
  const node = e as unknown as Record<string, unknown>;
  if (!node || typeof node !== 'object') return e;
  if (SUBQUERY_TYPES.has(node.type as string)) return scalar(await run(ctx, e as unknown as SelectStatement));
  if (node.type === 'binary' && (node.op === 'IN' || node.op === 'NOT IN') && SUBQUERY_TYPES.has((node.right as { type: string }).type)) {
    const { rows, types } = await run(ctx, node.right as SelectStatement);
    if (types.length !== 1) throw new DbError(SqlState.SyntaxError, 'subquery has too many columns');
    if (rows.length === 0) return { type: 'boolean', value: node.op === 'NOT IN' } as Expr;
    return { ...(node as object), left: await visitExpr(ctx, node.left as Expr), right: { type: 'list', expressions: rows.map((r) => literal(types[0], r[0])) } } as unknown as Expr;
  }
  if (node.type === 'call' && (node.function as { name: string }).name === 'exists') {
    const args = node.args as Expr[];
    if (args.length === 1 && SUBQUERY_TYPES.has((args[0] as { type: string }).type)) {
      const { rows } = await run(ctx, args[0] as unknown as SelectStatement);
      return { type: 'boolean', value: rows.length > 0 } as Expr;
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (value[i] && typeof value[i] === 'object' && 'type' in value[i]) value[i] = await visitExpr(ctx, value[i]);
      for (const item of value) {
        // CASE: { whens: [{ when, value }] }
        if (item && typeof item === 'object' && 'when' in item) {
          item.when = await visitExpr(ctx, item.when);
          item.value = await visitExpr(ctx, item.value);
        }
      }
    } else if (value && typeof value === 'object' && 'type' in (value as object)) {
      node[key] = await visitExpr(ctx, value as Expr);
    }
  }
  return e;
}

async function run(ctx: HandlerContext, sub: SelectStatement): Promise<{ rows: Row[]; types: DataType[]; names: string[] }> {
  if (sub.type !== 'select') throw notSupported(`${sub.type.toUpperCase()} in a subquery`);
  let planned;
  try {
    planned = planSelect(await inlineSubqueries(ctx, sub), ctx.catalog);
  } catch (err) {
    if (err instanceof DbError && (err.code === SqlState.UndefinedColumn || err.code === SqlState.UndefinedTable) && /column|FROM-clause/.test(err.message)) {
      throw notSupported('a correlated subquery', `the subquery refers to a column of the outer query (${err.message})`);
    }
    throw err;
  }
  const snap = JSON.stringify(planned.plan).includes('"kind":"scan"') ? ctx.meta.snapshot() : { reader: null, epoch: 0n, release() {} };
  const rows: Row[] = [];
  try {
    for await (const batch of executeBatch(planned.plan, { reader: snap.reader as never, epoch: snap.epoch, signal: ctx.signal })) rows.push(...batch);
  } finally {
    snap.release();
  }
  return { rows, types: planned.fields.map((f) => f.type), names: planned.fields.map((f) => f.name) };
}

function scalar({ rows, types }: { rows: Row[]; types: DataType[] }): Expr {
  if (types.length !== 1) throw new DbError(SqlState.SyntaxError, 'subquery must return only one column');
  if (rows.length > 1) throw new DbError(SqlState.CardinalityViolation, 'more than one row returned by a subquery used as an expression');
  return literal(types[0], rows.length === 0 ? null : rows[0][0]);
}

/** A datum as `'text'::type` (NULL as a typed NULL), which binds back to the same value. */
function literal(type: DataType, d: Row[number]): Expr {
  const to = { name: type };
  if (d === null) return { type: 'cast', operand: { type: 'null' }, to } as unknown as Expr;
  return { type: 'cast', operand: { type: 'string', value: formatDatum(type, d)! }, to } as unknown as Expr;
}
