import { ParseError } from './parse-error.ts';
import { keywordOf, tokenize, type Token } from './sql-scanner.ts';

export interface LiftedOptions {
  /** The statement without its WITH (...) / FORMAT ... ENCODE ... clauses, `SOURCE` read as `TABLE`. */
  sql: string;
  options: Record<string, string>;
  createSource: boolean;
}

/**
 * `CREATE TABLE|SOURCE name (...) WITH (k = v, ...) [FORMAT f ENCODE e]`: pgsql-ast-parser
 * rejects the options, so they are lifted out here (keys may be dotted: `fields.id.kind`). The
 * text is blanked rather than cut so error positions still point into the user's statement.
 */
export function liftWithOptions(sql: string): LiftedOptions | null {
  const t = tokenize(sql);
  if (keywordOf(t[0]) !== 'create') return null;
  const kind = keywordOf(t[1]);
  if (kind !== 'table' && kind !== 'source') return null;
  // Skip the column list: the first top-level parenthesis group.
  let i = 2;
  while (i < t.length && t[i].text !== '(') i++;
  i = matchParen(t, i);
  if (i < 0) return null;
  let withStart = -1;
  let withEnd = -1;
  const options: Record<string, string> = {};
  if (keywordOf(t[i]) === 'with' && t[i + 1]?.text === '(') {
    withStart = t[i].start;
    const close = matchParen(t, i + 1);
    if (close < 0) throw new ParseError('unterminated WITH (...) options', t[i].start + 1);
    parseOptions(t.slice(i + 2, close - 1), options);
    withEnd = t[close - 1].end;
    i = close;
  }
  if (keywordOf(t[i]) === 'format') {
    if (withStart < 0) withStart = t[i].start;
    while (i < t.length && t[i].text !== ';') i++;
    withEnd = t[i - 1].end;
  }
  if (withStart < 0 && kind === 'table') return null;
  let out = sql;
  if (withStart >= 0) out = out.slice(0, withStart) + ' '.repeat(withEnd - withStart) + out.slice(withEnd);
  if (kind === 'source') out = out.slice(0, t[1].start) + 'table ' + out.slice(t[1].end);
  return { sql: out, options, createSource: kind === 'source' };
}

/** Index just past the `)` matching the `(` at `open`, or -1. */
function matchParen(t: Token[], open: number): number {
  if (t[open]?.text !== '(') return -1;
  let depth = 0;
  for (let j = open; j < t.length; j++) {
    if (t[j].text === '(') depth++;
    else if (t[j].text === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

function parseOptions(t: Token[], out: Record<string, string>): void {
  let i = 0;
  while (i < t.length) {
    let key = '';
    while (i < t.length && t[i].text !== '=') key += unquote(t[i++]);
    if (t[i]?.text !== '=') throw new ParseError(`expected "=" after option "${key}"`, (t[i - 1]?.end ?? 0) + 1);
    i++;
    let value = '';
    while (i < t.length && t[i].text !== ',') value += unquote(t[i++]);
    // The preprocessor wrote a decimal literal such as 1.50 as ('1.50'::numeric) (numeric-literals.ts).
    out[key.toLowerCase()] = /^\(([-+0-9.eE]+)::numeric\)$/.exec(value)?.[1] ?? value;
    if (t[i]?.text === ',') i++;
  }
}

function unquote(tok: Token): string {
  if (tok.kind === 'string' && tok.text.startsWith("'")) return tok.text.slice(1, -1).replace(/''/g, "'");
  if (tok.kind === 'quoted_ident') return tok.text.slice(1, -1).replace(/""/g, '"');
  return tok.text;
}
