import type { Statement } from 'pgsql-ast-parser';
import { createLogger, DbError, notSupported, SqlState } from '@tributary/common';
import { parseStatement, type ParsedStatement } from '../parser/index.ts';
import type { SessionHandler, StatementResult } from '../pgwire/index.ts';
import type { FrontendMeta } from '../frontend/frontend-meta.ts';
import type { DmlWriter } from '../frontend/dml-writer.ts';
import type { HandlerContext } from '../handler/handler-context.ts';
import { handleCreateMv, handleCreateTable, handleDrop } from '../handler/ddl.ts';
import { handleDelete, handleInsert, handleUpdate } from '../handler/dml.ts';
import { handleExplain } from '../handler/explain.ts';
import { handleFlush } from '../handler/flush.ts';
import { handleQuery } from '../handler/query.ts';
import { handleShow } from '../handler/show.ts';
import { command } from '../handler/result.ts';

const log = createLogger('session');

/** One client connection: parses each statement and dispatches it to its handler. */
export class Session implements SessionHandler {
  private readonly settings = new Map<string, string>();

  constructor(
    private readonly meta: FrontendMeta,
    private readonly dml: DmlWriter,
    private readonly user: string,
    private readonly database: string,
  ) {}

  async execute(sql: string, signal: AbortSignal): Promise<StatementResult> {
    const parsed = parseStatement(sql);
    const ctx: HandlerContext = {
      meta: this.meta,
      dml: this.dml,
      catalog: { getRelation: (name) => this.meta.relation(name) },
      user: this.user,
      database: this.database,
      settings: this.settings,
      signal,
    };
    return this.dispatch(ctx, parsed, sql);
  }

  private async dispatch(ctx: HandlerContext, p: ParsedStatement, sql: string): Promise<StatementResult> {
    switch (p.kind) {
      case 'flush':
        return handleFlush(ctx);
      case 'show':
        return handleShow(ctx, p.what, p.name);
      case 'describe':
        return handleShow(ctx, 'columns', p.name);
      case 'explain':
        return handleExplain(ctx, p.statement);
      case 'drop':
        if (p.objectKind !== 'table' && p.objectKind !== 'materialized view') throw notSupported(`DROP ${p.objectKind.toUpperCase()}`);
        return handleDrop(ctx, p.objectKind, p.names, p.ifExists, p.cascade);
      case 'create_mv':
        log.info({ name: p.name }, 'create materialized view');
        return handleCreateMv(ctx, p.name, p.query, sql, p.ifNotExists);
      case 'ast':
        return this.dispatchAst(ctx, p.ast, sql);
    }
  }

  private async dispatchAst(ctx: HandlerContext, ast: Statement, sql: string): Promise<StatementResult> {
    switch (ast.type) {
      case 'select':
        return handleQuery(ctx, ast);
      case 'create table':
        log.info({ name: ast.name.name }, 'create table');
        return handleCreateTable(ctx, ast, sql);
      case 'insert':
        return handleInsert(ctx, ast);
      case 'update':
        return handleUpdate(ctx, ast);
      case 'delete':
        return handleDelete(ctx, ast);
      case 'start transaction':
        return command('BEGIN');
      case 'commit':
        return command('COMMIT');
      case 'rollback':
        return command('ROLLBACK');
      case 'set':
        this.settings.set(ast.variable.name.toLowerCase(), setValue(ast.set));
        return command('SET');
      case 'union':
      case 'union all':
        throw notSupported('UNION');
      case 'with':
        throw notSupported('WITH (common table expressions)');
      default:
        throw new DbError(SqlState.FeatureNotSupported, `${ast.type.toUpperCase()} is not supported yet`);
    }
  }

  close(): void {}
}

function setValue(v: unknown): string {
  const o = v as { type?: string; value?: unknown; values?: unknown[] };
  if (o.type === 'list' && Array.isArray(o.values)) return o.values.map(setValue).join(', ');
  if (o.value !== undefined) return String(o.value);
  return 'default';
}
