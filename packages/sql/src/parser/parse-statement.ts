import { parseFastInsert } from './fast-insert.ts';
import { liftWithOptions } from './with-options.ts';
import { liftWatermark } from './watermark-clause.ts';
import { parse } from 'pgsql-ast-parser';
import { keywordOf, tokenize } from './sql-scanner.ts';
import { splitStatementsWithOffsets } from './split-statements.ts';
import { preprocess } from './preprocess.ts';
import { unsupportedWindowSyntax } from './window-syntax.ts';
import { fromAstParserError, shiftError, syntaxErrorAt, ParseError } from './parse-error.ts';
import { TokenCursor } from './token-cursor.ts';
import { parseShow } from './parse-show.ts';
import { isHandledDrop, parseDrop } from './parse-drop.ts';
import { parseCreateMv } from './parse-create-mv.ts';
import { parseCreateDatabase, parseCreateSchema } from './parse-create-namespace.ts';
import type { ParsedStatement } from './parsed-statement.ts';

/**
 * Parses ONE statement (a trailing `;` is allowed).
 * 1. Pre-process (INTERVAL rewrite, strip a trailing EMIT ON WINDOW CLOSE).
 * 2. Dispatch on the leading keywords to the hand-written forms (FLUSH, SHOW, DESCRIBE, EXPLAIN,
 *    DROP <kind>, CREATE MATERIALIZED VIEW).
 * 3. Hand everything else to pgsql-ast-parser.
 * Throws ParseError (SQLSTATE 42601) with a 1-based `position` into `sql`.
 */
export function parseStatement(sql: string): ParsedStatement {
  const pieces = splitStatementsWithOffsets(sql);
  if (pieces.length === 0) throw new ParseError('syntax error at end of input: empty statement', 1);
  if (pieces.length > 1) {
    throw new ParseError('cannot parse multiple statements at once', pieces[1].offset + 1);
  }
  const piece = pieces[0];
  try {
    return parseOne(piece.sql);
  } catch (err) {
    throw shiftError(err, piece.offset);
  }
}

function parseOne(original: string): ParsedStatement {
  const pre = preprocess(original);
  const sql = pre.sql;
  const cur = new TokenCursor(sql, tokenize(sql));
  const first = keywordOf(cur.peek());
  const rejectEmit = (): void => {
    if (pre.emitOnWindowClose) throw new ParseError('EMIT ON WINDOW CLOSE is only valid on a query', sql.length + 1);
  };
  if (first === 'create' && cur.accept('create', 'materialized', 'view')) {
    return parseCreateMv(cur, sql, pre.emitOnWindowClose);
  }
  if (first === 'create' && cur.accept('create', 'schema')) {
    rejectEmit();
    return parseCreateSchema(cur);
  }
  if (first === 'create' && cur.accept('create', 'database')) {
    rejectEmit();
    return parseCreateDatabase(cur);
  }
  if (first === 'explain') {
    return parseExplain(cur, original); // the explained statement is parsed again, EMIT included
  }
  if (first === 'create') {
    const { sql: noWatermark, watermark } = liftWatermark(sql);
    const lifted = liftWithOptions(noWatermark);
    const wm = watermark ? { watermark } : {};
    if (lifted) {
      rejectEmit();
      const parsed = parseWithAstParser(lifted.sql, false);
      if (parsed.kind === 'ast') return { ...parsed, withOptions: lifted.options, createSource: lifted.createSource, ...wm };
      return parsed;
    }
    if (watermark) {
      rejectEmit();
      const parsed = parseWithAstParser(noWatermark, false);
      return parsed.kind === 'ast' ? { ...parsed, ...wm } : parsed;
    }
  }
  const simple = parseSimple(cur, first);
  if (simple) {
    rejectEmit();
    return simple;
  }
  return parseWithAstParser(sql, pre.emitOnWindowClose);
}

/** FLUSH, SHOW, DESCRIBE and DROP <handled kind>; undefined for anything else. */
function parseSimple(cur: TokenCursor, first: string | undefined): ParsedStatement | undefined {
  if (first === 'flush') {
    cur.accept('flush');
    cur.expectEnd();
    return { kind: 'flush' };
  }
  if (first === 'show') {
    cur.accept('show');
    return parseShow(cur);
  }
  if (first === 'describe' || first === 'desc') {
    cur.accept(first);
    const name = cur.qualifiedName();
    cur.expectEnd();
    return { kind: 'describe', name };
  }
  if (first === 'drop') {
    cur.accept('drop');
    if (isHandledDrop(cur)) return parseDrop(cur);
  }
  return undefined;
}

/** `EXPLAIN [(option, ...) | VERBOSE | ANALYZE]* <statement>`. */
function parseExplain(cur: TokenCursor, original: string): ParsedStatement {
  cur.expect('explain');
  let verbose = false;
  for (;;) {
    if (cur.accept('verbose')) verbose = true;
    else if (cur.accept('analyze') || cur.accept('logical') || cur.accept('physical')) continue;
    else if (cur.acceptPunct('(')) verbose = skipOptions(cur) || verbose;
    else break;
  }
  if (cur.done) throw cur.error();
  const offset = cur.offset;
  const inner = original.slice(offset);
  let statement: ParsedStatement;
  try {
    statement = parseStatement(inner);
  } catch (err) {
    throw shiftError(err, offset);
  }
  if (statement.kind === 'explain') throw syntaxErrorAt(original, offset);
  return { kind: 'explain', statement, sql: inner.trim(), ...(verbose ? { verbose } : {}) };
}

/** Skips an option list after `(`; true when it names VERBOSE (not followed by false/off). */
function skipOptions(cur: TokenCursor): boolean {
  let verbose = false;
  let depth = 1;
  while (depth > 0) {
    const tok = cur.peek();
    if (!tok) throw cur.error();
    if (cur.acceptPunct('(')) depth++;
    else if (cur.acceptPunct(')')) depth--;
    else if (cur.accept('verbose')) {
      const off = cur.accept('false') || cur.accept('off');
      verbose = !off;
    } else {
      cur.skip();
    }
  }
  return verbose;
}

function parseWithAstParser(sql: string, emitOnWindowClose: boolean): ParsedStatement {
  const fast = emitOnWindowClose ? null : parseFastInsert(sql);
  if (fast) return { kind: 'ast', ast: fast, sql };
  let statements;
  try {
    statements = parse(sql);
  } catch (err) {
    throw unsupportedWindowSyntax(sql) ?? fromAstParserError(sql, err);
  }
  if (statements.length !== 1) throw syntaxErrorAt(sql, sql.length);
  const ast = statements[0];
  return emitOnWindowClose ? { kind: 'ast', ast, emitOnWindowClose, sql } : { kind: 'ast', ast, sql };
}
