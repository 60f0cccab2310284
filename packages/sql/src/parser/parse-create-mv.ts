import { parse, type SelectStatement } from 'pgsql-ast-parser';
import { fromAstParserError, shiftError, syntaxErrorAt } from './parse-error.ts';
import { unsupportedWindowSyntax } from './window-syntax.ts';
import type { ParsedStatement } from './parsed-statement.ts';
import type { TokenCursor } from './token-cursor.ts';

const SELECT_TYPES = new Set(['select', 'union', 'union all', 'values', 'with', 'with recursive']);

/**
 * After `CREATE MATERIALIZED VIEW`: `[IF NOT EXISTS] name AS <query>`. The query is parsed on its
 * own because pgsql-ast-parser does not accept every CREATE MATERIALIZED VIEW form.
 */
export function parseCreateMv(
  cur: TokenCursor,
  sql: string,
  emitOnWindowClose: boolean,
): Extract<ParsedStatement, { kind: 'create_mv' }> {
  const ifNotExists = cur.accept('if', 'not', 'exists');
  const name = cur.qualifiedName();
  cur.expect('as');
  const queryOffset = cur.offset;
  const querySql = sql.slice(queryOffset).trim();
  if (querySql === '') throw syntaxErrorAt(sql, sql.length);
  const query = parseQuery(querySql, queryOffset);
  return { kind: 'create_mv', name, ifNotExists, query, querySql, emitOnWindowClose, sql };
}

function parseQuery(querySql: string, offset: number): SelectStatement {
  let statements;
  try {
    statements = parse(querySql);
  } catch (err) {
    throw unsupportedWindowSyntax(querySql) ?? shiftError(fromAstParserError(querySql, err), offset);
  }
  const [query] = statements;
  if (statements.length !== 1 || !query || !SELECT_TYPES.has(query.type)) {
    throw shiftError(syntaxErrorAt(querySql, 0), offset);
  }
  return query as SelectStatement;
}
