import { Interval, parseDatum } from '@tributary/common';
import { ParseError } from './parse-error.ts';
import { identifierOf, keywordOf, tokenize, type Token } from './sql-scanner.ts';

/** `WATERMARK FOR column AS column [- INTERVAL '...']` as written. */
export interface ParsedWatermark {
  column: string;
  /** The delay in microseconds (decimal string), `0` without an interval. */
  delayMicros: string;
}

export interface WatermarkLifted {
  /** The statement with the clause (and its separating comma) blanked, offsets kept. */
  sql: string;
  watermark: ParsedWatermark | null;
}

/**
 * Lifts the RisingWave `WATERMARK FOR` element out of the column list of `CREATE TABLE|SOURCE`
 * (pgsql-ast-parser does not know it). Only `col` and `col - INTERVAL '...'` are accepted as the
 * watermark expression (a fixed delay): anything else is 42601 at the offending token.
 */
export function liftWatermark(sql: string): WatermarkLifted {
  const t = tokenize(sql);
  const kind = keywordOf(t[1]);
  if (keywordOf(t[0]) !== 'create' || (kind !== 'table' && kind !== 'source')) return { sql, watermark: null };
  let open = 2;
  while (open < t.length && t[open].text !== '(') open++;
  let depth = 0;
  let start = -1;
  for (let i = open; i < t.length; i++) {
    if (t[i].text === '(') depth++;
    else if (t[i].text === ')' && --depth === 0) break;
    else if (depth === 1 && keywordOf(t[i]) === 'watermark' && keywordOf(t[i + 1]) === 'for' && (t[i - 1].text === ',' || t[i - 1].text === '(')) {
      start = i;
      break;
    }
  }
  if (start < 0) return { sql, watermark: null };
  const { watermark, end } = parseClause(t, start, sql);
  // Blank the clause with the comma before it (or after it when it comes first).
  let from = t[start].start;
  let to = t[end - 1].end;
  if (t[start - 1].text === ',') from = t[start - 1].start;
  else if (t[end]?.text === ',') to = t[end].end;
  return { sql: sql.slice(0, from) + ' '.repeat(to - from) + sql.slice(to), watermark };
}

/** Parses `WATERMARK FOR a AS a [- INTERVAL 'x']` at `i`; `end` is the index past it. */
function parseClause(t: Token[], i: number, sql: string): { watermark: ParsedWatermark; end: number } {
  const fail = (j: number, what: string): never => {
    throw new ParseError(`${what} in WATERMARK FOR`, (t[j]?.start ?? sql.length) + 1, {
      hint: "Write WATERMARK FOR col AS col - INTERVAL '5 seconds'.",
    });
  };
  i += 2;
  if (!isIdent(t[i])) fail(i, 'expected a column name');
  const column = identifierOf(t[i++]);
  if (keywordOf(t[i]) !== 'as') fail(i, 'expected AS');
  i++;
  if (!isIdent(t[i]) || identifierOf(t[i]) !== column) fail(i, `the watermark expression must start with "${column}"`);
  i++;
  if (t[i]?.text === ',' || t[i]?.text === ')') return { watermark: { column, delayMicros: '0' }, end: i };
  if (t[i]?.text !== '-') fail(i, 'expected "-" INTERVAL');
  i++;
  if (keywordOf(t[i]) !== 'interval') fail(i, 'expected INTERVAL');
  i++;
  if (t[i]?.kind !== 'string') fail(i, 'expected an interval literal');
  const text = t[i].text.slice(1, -1).replace(/''/g, "'");
  let delay: bigint;
  try {
    delay = (parseDatum('interval', text) as Interval).span();
  } catch (err) {
    throw new ParseError(`invalid interval "${text}" in WATERMARK FOR`, t[i].start + 1, { cause: err });
  }
  if (delay < 0n) fail(i, 'a negative delay');
  i++;
  if (t[i]?.text !== ',' && t[i]?.text !== ')') fail(i, 'unexpected token');
  return { watermark: { column, delayMicros: String(delay) }, end: i };
}

function isIdent(tok: Token | undefined): tok is Token {
  return tok?.kind === 'word' || tok?.kind === 'quoted_ident';
}
