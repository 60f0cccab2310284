import type { CreateTableStatement, SelectStatement } from 'pgsql-ast-parser';
import { CatalogError, SqlState } from '@tributary/common';
import { planCreateMv } from '../planner/create-mv.ts';
import { planCreateTable } from '../planner/create-table.ts';
import type { HandlerContext } from './handler-context.ts';
import { command } from './result.ts';
import type { StatementResult } from '../pgwire/index.ts';

/** Waits until this frontend's catalog reflects a DDL that meta finished. */
async function waitCatalog(ctx: HandlerContext, name: string, present: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((ctx.meta.relation(name) !== undefined) !== present && Date.now() < deadline) {
    await Promise.race([ctx.meta.nextCatalog(), new Promise((r) => setTimeout(r, 50))]);
  }
}

export async function handleCreateTable(ctx: HandlerContext, ast: CreateTableStatement, sql: string): Promise<StatementResult> {
  const name = ast.name.name;
  if (ctx.meta.relation(name)) {
    if (ast.ifNotExists) return command('CREATE TABLE');
    throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }
  const planned = planCreateTable(ast, { definition: sql, owner: ctx.user });
  await ctx.meta.ddl('create', { catalog: planned.catalog, graph: planned.graph, ifNotExists: !!ast.ifNotExists });
  await waitCatalog(ctx, name, true);
  return command('CREATE TABLE');
}

export async function handleCreateMv(
  ctx: HandlerContext, name: string, query: SelectStatement, sql: string, ifNotExists: boolean,
): Promise<StatementResult> {
  if (ctx.meta.relation(name)) {
    if (ifNotExists) return command('CREATE MATERIALIZED VIEW');
    throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }
  const planned = planCreateMv(name, query, ctx.catalog, { definition: sql, owner: ctx.user });
  await ctx.meta.ddl('create', { catalog: planned.catalog, graph: planned.graph, ifNotExists });
  await waitCatalog(ctx, name, true);
  return command('CREATE MATERIALIZED VIEW');
}

export async function handleDrop(
  ctx: HandlerContext, kind: 'table' | 'materialized view', names: string[], ifExists: boolean, cascade: boolean,
): Promise<StatementResult> {
  for (const name of names) {
    await ctx.meta.ddl('drop', { kind, name, ifExists, cascade });
    await waitCatalog(ctx, name, false);
  }
  return command(kind === 'table' ? 'DROP TABLE' : 'DROP MATERIALIZED VIEW');
}
