import type { CreateTableStatement, SelectStatement } from 'pgsql-ast-parser';
import { CatalogError, DbError, SqlState, notSupported, type DataType, type SourceNode, type StreamFragmentGraph, type StreamNode, type TableCatalog } from '@tributary/common';
import { parseDatagenOptions } from '@tributary/compute/source';
import { planCreateMv } from '../planner/create-mv.ts';
import { planCreateTable } from '../planner/create-table.ts';
import type { ParsedWatermark } from '../parser/watermark-clause.ts';
import type { HandlerContext } from './handler-context.ts';
import { command } from './result.ts';
import { splitQualified } from '../session/search-path.ts';
import { backfillRateLimitOf } from '../session/session-settings.ts';
import type { StatementResult } from '../pgwire/index.ts';

/** Waits until this frontend's catalog reflects a DDL that meta finished. */
async function waitCatalog(ctx: HandlerContext, schema: string, name: string, present: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((ctx.namespace.relation(schema, name) !== undefined) !== present && Date.now() < deadline) {
    await Promise.race([ctx.meta.nextCatalog(), new Promise((r) => setTimeout(r, 50))]);
  }
}

export async function handleCreateTable(
  ctx: HandlerContext, ast: CreateTableStatement, sql: string, withOptions?: Record<string, string>, watermark?: ParsedWatermark,
): Promise<StatementResult> {
  const name = ast.name.name;
  const schema = ctx.searchPath.targetSchema({ schema: ast.name.schema ?? null, name });
  if (ctx.namespace.relation(schema, name)) {
    if (ast.ifNotExists) return command('CREATE TABLE');
    throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }
  const planned = planCreateTable(ast, { definition: sql, owner: ctx.user, schemaName: schema, databaseName: ctx.database, watermark });
  if (withOptions && Object.keys(withOptions).length > 0) attachConnector(planned.graph, planned.catalog, withOptions);
  await ctx.meta.ddl('create', { catalog: planned.catalog, graph: planned.graph, ifNotExists: !!ast.ifNotExists });
  await waitCatalog(ctx, schema, name, true);
  return command('CREATE TABLE');
}

export async function handleCreateMv(
  ctx: HandlerContext, qualifiedName: string, query: SelectStatement, sql: string, ifNotExists: boolean, emitOnWindowClose = false,
): Promise<StatementResult> {
  const q = splitQualified(qualifiedName);
  const name = q.name;
  const schema = ctx.searchPath.targetSchema(q);
  if (ctx.namespace.relation(schema, name)) {
    if (ifNotExists) return command('CREATE MATERIALIZED VIEW');
    throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }
  const planned = planCreateMv(name, query, ctx.catalog, {
    definition: sql, owner: ctx.user, schemaName: schema, databaseName: ctx.database, emitOnWindowClose, backfillRateLimit: backfillRateLimitOf(ctx.settings),
  });
  await ctx.meta.ddl('create', { catalog: planned.catalog, graph: planned.graph, ifNotExists });
  await waitCatalog(ctx, schema, name, true);
  return command('CREATE MATERIALIZED VIEW');
}

/**
 * `CREATE SOURCE name (cols..., [WATERMARK FOR ...]) WITH (connector = ...) [FORMAT ... ENCODE ...]`:
 * catalog only (nothing runs and nothing is stored until an MV reads it); the connector options are
 * validated here. FORMAT/ENCODE are accepted and ignored (datagen makes typed rows).
 */
export async function handleCreateSource(
  ctx: HandlerContext, ast: CreateTableStatement, sql: string, withOptions: Record<string, string>, watermark?: ParsedWatermark,
): Promise<StatementResult> {
  const name = ast.name.name;
  const schema = ctx.searchPath.targetSchema({ schema: ast.name.schema ?? null, name });
  if (ctx.namespace.relation(schema, name)) {
    if (ast.ifNotExists) return command('CREATE SOURCE');
    throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }
  const planned = planCreateTable(ast, { definition: sql, owner: ctx.user, schemaName: schema, databaseName: ctx.database, watermark });
  if (planned.catalog.rowIdIndex === null) throw notSupported('PRIMARY KEY on a source', 'A source is not materialized; create a TABLE ... WITH (connector = ...) to keep rows by key.');
  const options = checkConnector(withOptions, planned.catalog.columns.map((c) => c.name), planned.catalog.columns.map((c) => c.type));
  const catalog: TableCatalog = { ...planned.catalog, kind: 'source', source: { connector: options.connector, options } };
  await ctx.meta.ddl('create', { catalog, graph: { fragments: [], edges: [] }, ifNotExists: !!ast.ifNotExists });
  await waitCatalog(ctx, schema, name, true);
  return command('CREATE SOURCE');
}

export async function handleDrop(
  ctx: HandlerContext, kind: 'table' | 'materialized view' | 'source', names: string[], ifExists: boolean, cascade: boolean,
): Promise<StatementResult> {
  for (const qualified of names) {
    const q = splitQualified(qualified);
    ctx.searchPath.checkDatabase(q);
    // Unqualified: the schema of the path that has it (else the first, for the error message).
    const schema = q.schema ?? ctx.searchPath.resolve(q)?.schemaName ?? ctx.searchPath.schemas()[0] ?? 'public';
    await ctx.meta.ddl('drop', { kind, database: ctx.database, schema, name: q.name, ifExists, cascade });
    await waitCatalog(ctx, schema, q.name, false);
  }
  return command(`DROP ${kind.toUpperCase()}`);
}

/** A connector's options, checked as CREATE must (a bad option fails CREATE, not the actors). */
function checkConnector(options: Record<string, string>, columnNames: string[], types: DataType[]): Record<string, string> & { connector: string } {
  const connector = options.connector;
  if (!connector) throw new DbError(SqlState.InvalidParameterValue, 'WITH options need a connector, e.g. WITH (connector = \'datagen\')');
  if (connector !== 'datagen') throw new DbError(SqlState.FeatureNotSupported, `connector "${connector}" is not supported yet (supported: datagen)`);
  parseDatagenOptions(columnNames, types, options);
  return { ...options, connector };
}

/**
 * `CREATE TABLE ... WITH (connector = ...)`: the table's `dml` leaf becomes a `source` node that
 * both reads the connector and takes INSERTs. A source's rows are not routed by key, so a table
 * with a primary key gets its own source fragment and a hash exchange by the key in front of the
 * materialize (each key then has one writer, as for DML); a row-id table needs none (ids are made
 * in the writing actor's own vnodes). Options are validated here, at CREATE.
 */
function attachConnector(graph: StreamFragmentGraph, catalog: TableCatalog, options: Record<string, string>): void {
  const [fragment] = graph.fragments;
  let dml: StreamNode = fragment.node;
  while (dml.kind !== 'dml' && 'input' in dml) dml = dml.input;
  if (dml.kind !== 'dml' || graph.fragments.length !== 1) throw new Error('unexpected table plan');
  const columnNames = dml.names.map((n) => n.replace(/^.*\./, ''));
  const { connector } = checkConnector(options, columnNames, dml.schema);
  const source: SourceNode = {
    kind: 'source', schema: dml.schema, names: dml.names, tableId: dml.tableId, connector, options, columnNames,
    splitTable: { tableId: -1, name: `${catalog.name}.source_splits`, columns: ['integer', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [] },
  };
  const replaceDml = (node: StreamNode, by: StreamNode): StreamNode => {
    if (node.kind === 'dml') return by;
    if ('input' in node) (node as { input: StreamNode }).input = replaceDml(node.input, by);
    return node;
  };
  if (catalog.rowIdIndex !== null) {
    fragment.node = replaceDml(fragment.node, source);
    return;
  }
  const keys = catalog.storage.distKey;
  fragment.node = replaceDml(fragment.node, { kind: 'merge', upstreamFragmentId: 1, schema: dml.schema, names: dml.names });
  graph.fragments.push({ fragmentId: 1, distribution: { kind: 'hash', keys }, node: source });
  graph.edges.push({ upstreamFragmentId: 1, downstreamFragmentId: fragment.fragmentId, dist: { kind: 'hash', keys } });
}
