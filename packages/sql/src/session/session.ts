import type { Statement } from 'pgsql-ast-parser';
import { sqlStateOf, createLogger, DbError, notSupported, SqlState, wallClockMicros } from '@tributary/common';
import { inSession, type SessionContextInfo } from './session-context.ts';
import type { ParsedStatement } from '../parser/index.ts';
import type { SessionHandler, StatementResult } from '../pgwire/index.ts';
import type { FrontendMeta } from '../frontend/frontend-meta.ts';
import type { DmlWriter } from '../frontend/dml-writer.ts';
import type { HandlerContext } from '../handler/handler-context.ts';
import { handleCreateMv, handleCreateSource, handleCreateTable, handleDrop } from '../handler/ddl.ts';
import { handleDelete, handleInsert, handleUpdate } from '../handler/dml.ts';
import { handleExplain } from '../handler/explain.ts';
import { handleFlush } from '../handler/flush.ts';
import { handleQuery } from '../handler/query.ts';
import { handleShow } from '../handler/show.ts';
import { command } from '../handler/result.ts';
import { handleReset, handleSet, handleShowSetting } from '../handler/set.ts';
import { handleCopyFrom, handleCopyTo } from '../handler/copy.ts';
import { splitStatementsWithOffsets } from '../parser/split-statements.ts';
import { ParseError } from '../parser/parse-error.ts';
import type { PreparedStatement } from '../pgwire/index.ts';
import type { TransactionStatus } from '../pgwire/messages.ts';
import { SessionSettings } from './session-settings.ts';
import { TransactionState } from './transaction-state.ts';
import { parseUtility, type UtilityStatement } from './utility-statement.ts';
import { describeAst, SessionPrepared, substituteParams } from './prepared.ts';
import { checkPrivileges, type PrivilegeCatalog } from './privileges.ts';
import { SearchPath, splitQualified } from './search-path.ts';
import { handleCreateDatabase, handleCreateSchema, handleDropDatabase, handleDropSchema } from '../handler/namespace.ts';
import { handleUserStatement } from '../handler/users.ts';
import { resolveRelation } from '../catalog/system-catalog.ts';
import type { SystemCatalogSource } from '../catalog/system-relation.ts';
import { DatabaseView } from './database-view.ts';
import { parseInDatabase } from './cross-database.ts';

const log = createLogger('session');

/** One client connection: parses each statement and dispatches it to its handler. */
export class Session implements SessionHandler {
  private readonly sessionSettings: SessionSettings;
  private readonly settings: Map<string, string>;
  private readonly transaction = new TransactionState();
  private readonly searchPath: SearchPath;
  /** The schemas and relations of this session's database: the only ones it can name. */
  private readonly namespace: DatabaseView;

  constructor(
    private readonly meta: FrontendMeta,
    private readonly dml: DmlWriter,
    private readonly user: string,
    private readonly database: string,
    startupParams?: ReadonlyMap<string, string>,
  ) {
    this.sessionSettings = new SessionSettings(user, startupParams);
    this.settings = this.sessionSettings.asMap;
    this.namespace = new DatabaseView(meta, database);
    meta.sessionCount(database, 1);
    this.searchPath = new SearchPath(this.namespace, () => this.settings.get('search_path') ?? 'public', user);
  }

  /** A statement of this session (names may be qualified by this database: cross-database.ts). */
  private parse(sql: string): ParsedStatement {
    return parseInDatabase(sql, this.database, (name) => this.meta.database(name) !== undefined);
  }

  /** What session functions (current_user, current_schemas, ...) see while this session runs. */
  private sessionInfo(): SessionContextInfo {
    return {
      user: this.user, sessionUser: this.user, database: this.database, searchPath: this.searchPath.schemas(),
      timeZone: this.sessionSettings.timeZone, statementStartMicros: wallClockMicros(),
    };
  }

  async execute(sql: string, signal: AbortSignal): Promise<StatementResult> {
    try {
      const utility = parseUtility(sql);
      return await inSession(this.sessionInfo(), () => this.run(this.context(signal), utility ?? this.parse(sql), sql));
    } catch (err) {
      // Debug level: what a client sent that failed (e.g. a tool's catalog query) and why.
      log.debug({ sql: sql.length > 2000 ? `${sql.slice(0, 2000)}...` : sql, code: sqlStateOf(err), err: (err as Error).message }, 'statement failed');
      throw err;
    }
  }

  async prepare(sql: string, paramTypeOids: readonly number[]): Promise<PreparedStatement> {
    const pieces = splitStatementsWithOffsets(sql);
    if (pieces.length === 0) return new SessionPrepared(sql, null, [], null);
    if (pieces.length > 1) throw new ParseError('cannot insert multiple commands into a prepared statement', pieces[1].offset + 1);
    const text = pieces[0].sql;
    if (parseUtility(text)) return new SessionPrepared(text, null, [], null);
    const parsed = this.parse(text);
    if (parsed.kind === 'show' || parsed.kind === 'describe' || parsed.kind === 'explain') {
      // Side-effect free: run once to learn the columns (Describe of the statement).
      const result = await inSession(this.sessionInfo(), () => this.dispatch(this.context(new AbortController().signal), parsed, text));
      return new SessionPrepared(text, parsed, [], result.kind === 'rows' ? result.fields : null);
    }
    if (parsed.kind !== 'ast') return new SessionPrepared(text, parsed, [], null);
    const { paramTypes, fields } = describeAst(parsed.ast, paramTypeOids, this.context(new AbortController().signal).catalog);
    return new SessionPrepared(text, parsed, paramTypes, fields);
  }

  async executePrepared(statement: PreparedStatement, params: readonly (string | null)[], signal: AbortSignal): Promise<StatementResult> {
    const prepared = statement as SessionPrepared;
    if (prepared.parsed === null) {
      if (prepared.sql.trim() === '') return { kind: 'empty' };
      return this.execute(prepared.sql, signal);
    }
    let parsed = prepared.parsed;
    if (parsed.kind === 'ast' && prepared.paramTypes.length > 0) {
      parsed = { ...parsed, ast: substituteParams(parsed.ast, prepared.paramTypes, params) };
    }
    return inSession(this.sessionInfo(), () => this.run(this.context(signal), parsed, prepared.sql));
  }

  transactionStatus(): TransactionStatus {
    return this.transaction.current;
  }

  statementFailed(): void {
    this.transaction.failed();
  }

  statementTimeoutMs(): number {
    return this.sessionSettings.statementTimeoutMs;
  }

  private context(signal: AbortSignal): HandlerContext {
    return {
      meta: this.meta,
      namespace: this.namespace,
      dml: this.dml,
      catalog: { getRelation: (name) => resolveRelation(name, this.systemCatalogSource(), (q) => this.searchPath.resolve(q)) },
      searchPath: this.searchPath,
      user: this.user,
      database: this.database,
      settings: this.settings,
      signal,
    };
  }

  private privilegeCatalog(): PrivilegeCatalog {
    return { user: (name) => this.meta.user(name), relation: (name) => this.searchPath.resolve(splitQualified(name)) };
  }

  /** What pg_catalog / information_schema relations are computed from. */
  private systemCatalogSource(): SystemCatalogSource {
    const meta = this.meta;
    const namespace = this.namespace;
    return {
      relations: () => namespace.relations(),
      schemas: () => namespace.schemas(),
      databases: () => meta.allDatabases(),
      users: () => meta.allUsers(),
      database: this.database,
      user: this.user,
      settings: this.settings,
    };
  }

  /** Transaction-block checks and privileges, then the statement (DML makes itself durable: dml.ts). */
  private async run(ctx: HandlerContext, p: ParsedStatement | UtilityStatement, sql: string): Promise<StatementResult> {
    const kind = statementKind(p);
    this.transaction.check(kind === 'end', kind === 'write' || kind === 'dml', sql.trim().split(/\s+/, 2).join(' ').toUpperCase());
    checkPrivileges(this.privilegeCatalog(), this.user, p);
    if (isUtility(p)) return this.runUtility(ctx, p);
    return this.dispatch(ctx, p, sql);
  }

  private async runUtility(ctx: HandlerContext, u: UtilityStatement): Promise<StatementResult> {
    switch (u.kind) {
      case 'set': return handleSet(this.sessionSettings, u.name, u.value);
      case 'reset': return handleReset(this.sessionSettings, u.name);
      case 'begin': return { kind: 'command', tag: 'BEGIN', notices: this.transaction.begin(u.readOnly) };
      case 'commit':
      case 'rollback': {
        const { tag, notices } = this.transaction.end(u.kind === 'commit');
        return { kind: 'command', tag, notices };
      }
      case 'copy_from': return handleCopyFrom(ctx, u.table, u.columns, u.options);
      case 'copy_to':
        if (u.query !== null) checkPrivileges(this.privilegeCatalog(), this.user, this.parse(u.query));
        return handleCopyTo(ctx, u.table, u.columns, u.query, u.options);
      case 'create_user':
      case 'alter_user':
      case 'drop_user':
      case 'grant':
        return handleUserStatement(ctx, u);
    }
  }

  private async dispatch(ctx: HandlerContext, p: ParsedStatement, sql: string): Promise<StatementResult> {
    switch (p.kind) {
      case 'flush':
        return handleFlush(ctx);
      case 'show':
        if (p.what === 'parameter') return handleShowSetting(this.sessionSettings, p.name ?? '');
        return handleShow(ctx, p.what, p.name);
      case 'describe':
        return handleShow(ctx, 'columns', p.name);
      case 'explain':
        return handleExplain(ctx, p.statement, p.verbose ?? false);
      case 'drop':
        if (p.objectKind === 'schema') return handleDropSchema(ctx, p.names, p.ifExists, p.cascade);
        if (p.objectKind === 'database') return handleDropDatabase(ctx, p.names, p.ifExists);
        if (p.objectKind !== 'table' && p.objectKind !== 'materialized view' && p.objectKind !== 'source') throw notSupported(`DROP ${p.objectKind.toUpperCase()}`);
        return handleDrop(ctx, p.objectKind, p.names, p.ifExists, p.cascade);
      case 'create_schema':
        return handleCreateSchema(ctx, p.name, p.ifNotExists, p.authorization);
      case 'create_database':
        return handleCreateDatabase(ctx, p.name);
      case 'create_mv':
        log.info({ name: p.name }, 'create materialized view');
        return handleCreateMv(ctx, p.name, p.query, sql, p.ifNotExists, p.emitOnWindowClose);
      case 'ast':
        if (p.ast.type === 'create table' && p.createSource) {
          log.info({ name: p.ast.name.name }, 'create source');
          return handleCreateSource(ctx, p.ast, sql, p.withOptions ?? {}, p.watermark);
        }
        if (p.ast.type === 'create table' && (p.withOptions || p.watermark)) return handleCreateTable(ctx, p.ast, sql, p.withOptions, p.watermark);
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
      case 'set': // forms parseUtility leaves to the parser: validated and normalized like the others
        return handleSet(this.sessionSettings, ast.variable.name.toLowerCase(), setValue(ast.set));
      case 'union':
      case 'union all':
      case 'values':
        return handleQuery(ctx, ast);
      case 'with':
      case 'with recursive':
        return handleQuery(ctx, ast);
      default:
        throw new DbError(SqlState.FeatureNotSupported, `${ast.type.toUpperCase()} is not supported yet`);
    }
  }

  close(): void {
    this.meta.sessionCount(this.database, -1);
  }
}

/** A parsed SET value as text; null for DEFAULT (the setting's default, as handleSet takes it). */
function setValue(v: unknown): string | null {
  const o = v as { type?: string; value?: unknown; values?: unknown[] };
  if (o.type === 'default') return null;
  if (o.type === 'list' && Array.isArray(o.values)) return o.values.map((x) => setValue(x) ?? 'default').join(', ');
  if (o.value !== undefined) return String(o.value);
  return null;
}

const UTILITY_KINDS: ReadonlySet<string> = new Set<UtilityStatement['kind']>([
  'set', 'reset', 'begin', 'commit', 'rollback', 'copy_from', 'copy_to', 'create_user', 'alter_user', 'drop_user', 'grant',
]);

function isUtility(p: ParsedStatement | UtilityStatement): p is UtilityStatement {
  return UTILITY_KINDS.has(p.kind);
}

/** How a statement interacts with a transaction block: ends it, writes (DDL), DML, or reads. */
function statementKind(p: ParsedStatement | UtilityStatement): 'end' | 'write' | 'dml' | 'read' {
  switch (p.kind) {
    case 'commit':
    case 'rollback': return 'end';
    case 'copy_from': return 'dml';
    case 'drop':
    case 'create_mv':
    case 'create_schema':
    case 'create_database':
    case 'create_user':
    case 'alter_user':
    case 'drop_user':
    case 'grant': return 'write';
    case 'ast': {
      const t = p.ast.type;
      if (t === 'insert' || t === 'update' || t === 'delete') return 'dml';
      return t === 'select' || t === 'union' || t === 'union all' || t === 'values' || t === 'set' || t === 'start transaction' ? 'read' : 'write';
    }
    default: return 'read';
  }
}
