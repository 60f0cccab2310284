import { CatalogError, DbError, Op, SqlState, parseDatum, type Row, type TableCatalog } from '@tributary/common';
import { parseInDatabase } from '../session/cross-database.ts';
import type { StatementResult } from '../pgwire/index.ts';
import type { CopyOptions } from '../session/utility-statement.ts';
import { CopyParser, copyFormatOf, formatCopyLine } from './copy-format.ts';
import type { HandlerContext } from './handler-context.ts';
import { splitQualified } from '../session/search-path.ts';
import { handleQuery } from './query.ts';
import { checkNotNull, notNullColumns } from '../planner/not-null.ts';

/** Rows per DML write of a COPY FROM (the writer splits them further into RPC-sized chunks). */
export const COPY_BATCH_ROWS = 2000;

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function copyTable(ctx: HandlerContext, name: string): TableCatalog {
  const table = ctx.searchPath.resolve(splitQualified(name));
  if (!table) throw new CatalogError(SqlState.UndefinedTable, `relation "${name}" does not exist`);
  return table;
}

/** Indexes of the named columns (default: every visible column). */
function copyColumns(table: TableCatalog, columns: string[] | null): number[] {
  if (!columns) return table.columns.flatMap((c, i) => (c.hidden ? [] : [i]));
  return columns.map((name) => {
    const i = table.columns.findIndex((c) => c.name === name && !c.hidden);
    if (i < 0) throw new DbError(SqlState.UndefinedColumn, `column "${name}" of relation "${table.name}" does not exist`);
    return i;
  });
}

/**
 * `COPY t [(cols)] FROM STDIN`: rows are parsed as they arrive and written through the DML path
 * in batches of COPY_BATCH_ROWS. Batches written before an error stay written (no atomicity).
 * Under implicit_flush the command completes once every batch is committed.
 */
export function handleCopyFrom(ctx: HandlerContext, name: string, columns: string[] | null, options: CopyOptions): StatementResult {
  const table = copyTable(ctx, name);
  if (table.kind !== 'table') throw new DbError(SqlState.WrongObjectType, `cannot copy to ${table.kind} "${table.name}"`);
  const targets = copyColumns(table, columns);
  const notNull = notNullColumns(table);
  const format = copyFormatOf(options);
  return {
    kind: 'copyIn',
    columns: targets.length,
    async consume(data: AsyncIterable<Buffer>): Promise<string> {
      const parser = new CopyParser(format);
      let batch: Row[] = [];
      let count = 0;
      let epoch = 0n;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        const written = await ctx.dml.write(table, rows.map((r) => [Op.Insert, r]));
        if (written > epoch) epoch = written;
      };
      const take = async (records: (string | null)[][], firstLine: number): Promise<void> => {
        for (let k = 0; k < records.length; k++) {
          batch.push(toRow(table, targets, notNull, records[k], firstLine + k));
          count++;
        }
        if (batch.length >= COPY_BATCH_ROWS) await flush();
      };
      for await (const chunk of data) {
        const line = parser.line;
        await take(parser.push(chunk), line);
      }
      const line = parser.line;
      await take(parser.end(), line);
      await flush();
      // implicit_flush (default on): acknowledged once committed, like INSERT (see dml.ts).
      if ((ctx.settings.get('implicit_flush') ?? 'on') === 'on' && epoch > 0n) await ctx.meta.flush(epoch);
      return `COPY ${count}`;
    },
  };
}

/** A full table row from one COPY record; errors name the line and column like PostgreSQL. */
function toRow(table: TableCatalog, targets: number[], notNull: number[], fields: (string | null)[], line: number): Row {
  const where = `COPY ${table.name}, line ${line}`;
  if (fields.length < targets.length) {
    throw new DbError(SqlState.BadCopyFileFormat, `missing data for column "${table.columns[targets[fields.length]].name}"`, { detail: where });
  }
  if (fields.length > targets.length) throw new DbError(SqlState.BadCopyFileFormat, 'extra data after last expected column', { detail: where });
  const row: Row = table.columns.map(() => null);
  targets.forEach((col, k) => {
    const text = fields[k];
    const column = table.columns[col];
    if (text === null) return;
    try {
      row[col] = parseDatum(column.type, text);
    } catch (err) {
      throw new DbError(err instanceof DbError ? err.code : SqlState.InvalidTextRepresentation,
        err instanceof Error ? err.message : String(err), { detail: `${where}, column ${column.name}: "${text}"`, cause: err });
    }
  });
  if (notNull.length > 0) checkNotNull(table, row, notNull, where);
  return row;
}

/** `COPY {t [(cols)] | (query)} TO STDOUT`: the query's rows as text or CSV lines. */
export async function handleCopyTo(
  ctx: HandlerContext, name: string | null, columns: string[] | null, query: string | null, options: CopyOptions,
): Promise<StatementResult> {
  const format = copyFormatOf(options);
  let sql = query;
  if (sql === null) {
    const table = copyTable(ctx, name!);
    const cols = copyColumns(table, columns).map((i) => quoteIdent(table.columns[i].name));
    sql = `SELECT ${cols.join(', ')} FROM ${quoteIdent(table.schemaName)}.${quoteIdent(table.name)}`;
  }
  const parsed = parseInDatabase(sql, ctx.database, (db) => ctx.meta.database(db) !== undefined);
  if (parsed.kind !== 'ast' || parsed.ast.type !== 'select') throw new DbError(SqlState.FeatureNotSupported, 'COPY (query) supports SELECT only');
  const result = await handleQuery(ctx, parsed.ast);
  if (result.kind !== 'rows') throw new DbError(SqlState.InternalError, 'SELECT returned no rows result');
  const header = format.header ? formatCopyLine(result.fields.map((f) => f.name), { ...format, nullString: '\0' }) : undefined;
  async function* lines(): AsyncGenerator<string> {
    const rows = result.kind === 'rows' ? result.rows : [];
    for await (const row of rows as AsyncIterable<(string | null)[]>) yield formatCopyLine(row, format);
  }
  return { kind: 'copyOut', columns: result.fields.length, data: lines(), ...(header ? { header } : {}) };
}
