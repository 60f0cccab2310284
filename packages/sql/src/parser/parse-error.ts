import { DbError, SqlState } from '@tributary/common';

/**
 * A 42601 syntax error. `position` is the 1-based character offset of the offending token in the
 * statement text (pgwire adds the statement's offset in the query string and sends it as field P).
 */
export class ParseError extends DbError {
  readonly position?: number;

  constructor(message: string, position?: number, options?: { cause?: unknown; hint?: string }) {
    super(SqlState.SyntaxError, message, options);
    this.position = position;
  }
}

/** `syntax error at or near "<text>"`, or `at end of input` when `offset` is past the last token. */
export function syntaxErrorAt(sql: string, offset: number, cause?: unknown): ParseError {
  const rest = sql.slice(offset);
  const near = /^\s*$/.test(rest) ? undefined : nearText(rest.trimStart());
  if (near === undefined) return new ParseError('syntax error at end of input', sql.length + 1, { cause });
  const lead = rest.length - rest.trimStart().length;
  return new ParseError(`syntax error at or near "${near}"`, offset + lead + 1, { cause });
}

function nearText(rest: string): string {
  const m = /^("(?:[^"]|"")*"?|'(?:[^']|'')*'?|[A-Za-z0-9_$.]+|\S)/.exec(rest);
  const text = m ? m[0] : rest[0];
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

interface NearleyLikeError {
  message?: unknown;
  token?: { offset?: unknown; text?: unknown };
}

/** Maps a pgsql-ast-parser (nearley/moo) error into a ParseError with a position. */
export function fromAstParserError(sql: string, err: unknown): ParseError {
  const e = (err ?? {}) as NearleyLikeError;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (e.token && typeof e.token.offset === 'number') {
    const offset = e.token.offset;
    const text = typeof e.token.text === 'string' ? e.token.text : nearText(sql.slice(offset));
    return new ParseError(`syntax error at or near "${text}"`, offset + 1, { cause: err });
  }
  if (/unexpected end of input/i.test(message)) return syntaxErrorAt(sql, sql.length, err);
  const lineCol = /at line (\d+) col (\d+)/.exec(message);
  if (lineCol) return syntaxErrorAt(sql, offsetOf(sql, Number(lineCol[1]), Number(lineCol[2])), err);
  return new ParseError(`syntax error: ${message.split('\n')[0]}`, undefined, { cause: err });
}

function offsetOf(sql: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = sql.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return Math.min(sql.length, offset + col - 1);
}

/** The same error with its position moved by `delta` characters (a statement nested in a larger text). */
export function shiftError(err: unknown, delta: number): unknown {
  if (!(err instanceof ParseError) || err.position === undefined || delta === 0) return err;
  return new ParseError(err.message, err.position + delta, { cause: err.cause, hint: err.hint });
}
