/**
 * A quote- and comment-aware SQL scanner shared by the splitter, the pre-processor and the
 * keyword dispatcher. It never throws: an unterminated string or comment runs to the end of input
 * (pgsql-ast-parser reports the syntax error later).
 */

export type TokenKind = 'word' | 'quoted_ident' | 'string' | 'number' | 'param' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token, quotes included. */
  readonly text: string;
  /** Offset of the first character in the scanned text. */
  readonly start: number;
  /** Offset just past the token. */
  readonly end: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

function isIdentPart(ch: string | undefined): boolean {
  return ch !== undefined && IDENT_PART.test(ch);
}

/** End offset of a quoted run starting at `i` (the opening quote), honouring doubled quotes. */
function skipQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const ch = sql[j];
    if (backslashEscapes && ch === '\\') {
      j += 2;
    } else if (ch === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else {
      j++;
    }
  }
  return sql.length;
}

/** End offset of a nested block comment starting at `i` (`/*`). */
function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else {
      j++;
    }
  }
  return sql.length;
}

/** The `$tag$` opening at `i`, or undefined when `$` does not open a dollar-quoted string. */
function dollarTagAt(sql: string, i: number): string | undefined {
  if (sql[i] !== '$' || isIdentPart(sql[i - 1])) return undefined;
  const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 256));
  return m ? m[0] : undefined;
}

/** True when `i` starts a comment (`--` or `/*`). */
export function isCommentStart(sql: string, i: number): boolean {
  return (sql[i] === '-' && sql[i + 1] === '-') || (sql[i] === '/' && sql[i + 1] === '*');
}

/**
 * If a string literal, quoted identifier, dollar-quoted string or comment starts at `i`, returns
 * the offset just past it; otherwise returns `i`.
 */
export function skipNonCode(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'") return skipQuoted(sql, i, "'", false);
  if (ch === '"') return skipQuoted(sql, i, '"', false);
  if ((ch === 'E' || ch === 'e') && sql[i + 1] === "'" && !isIdentPart(sql[i - 1])) {
    return skipQuoted(sql, i + 1, "'", true);
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (ch === '/' && sql[i + 1] === '*') return skipBlockComment(sql, i);
  if (ch === '$') {
    const tag = dollarTagAt(sql, i);
    if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      return close < 0 ? sql.length : close + tag.length;
    }
  }
  return i;
}

/** True when `text` holds only whitespace and comments. */
export function isBlank(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
    } else if (isCommentStart(text, i)) {
      i = skipNonCode(text, i);
    } else {
      return false;
    }
  }
  return true;
}

/** Splits `sql` into tokens, skipping whitespace and comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (isCommentStart(sql, i)) {
      i = skipNonCode(sql, i);
      continue;
    }
    const end = scanToken(sql, i);
    tokens.push({ kind: tokenKind(sql, i), text: sql.slice(i, end.end), start: i, end: end.end });
    i = end.end;
  }
  return tokens;
}

function tokenKind(sql: string, i: number): TokenKind {
  const ch = sql[i];
  if (ch === '"') return 'quoted_ident';
  if (ch === "'" || dollarTagAt(sql, i) || ((ch === 'E' || ch === 'e') && sql[i + 1] === "'")) return 'string';
  if (ch === '$') return 'param';
  if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) return 'number';
  if (IDENT_START.test(ch)) return 'word';
  return 'punct';
}

function scanToken(sql: string, i: number): { end: number } {
  const quotedEnd = skipNonCode(sql, i);
  if (quotedEnd !== i) return { end: quotedEnd };
  const ch = sql[i];
  let j = i + 1;
  if (ch === '$' || IDENT_START.test(ch)) {
    while (isIdentPart(sql[j])) j++;
  } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
    while (j < sql.length && /[0-9.eE]/.test(sql[j])) j++;
  }
  return { end: j };
}

/** Lower-cased keyword text of a word token, else undefined. */
export function keywordOf(token: Token | undefined): string | undefined {
  return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
}

/** Identifier value: unquoted words fold to lower case, quoted identifiers keep their case. */
export function identifierOf(token: Token): string {
  if (token.kind === 'quoted_ident') return token.text.slice(1, -1).replaceAll('""', '"');
  return token.text.toLowerCase();
}
