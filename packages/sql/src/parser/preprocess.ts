import { keywordOf, tokenize, type Token } from './sql-scanner.ts';
import { rewriteNumericLiterals } from './numeric-literals.ts';
import { rewriteDistinctFrom } from './distinct-from.ts';
import { rewritePsqlCatalogQuery } from '../catalog/psql-compat.ts';

export interface PreprocessResult {
  /** Rewritten statement text; offsets before a trailing EMIT clause are preserved. */
  readonly sql: string;
  /** A trailing `EMIT ON WINDOW CLOSE` was stripped. */
  readonly emitOnWindowClose: boolean;
}

const INTERVAL_UNITS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second']);

/**
 * Quote-aware rewrites applied before pgsql-ast-parser sees a statement:
 * 1. `INTERVAL 'n' UNIT` -> `INTERVAL 'n UNIT'` (the parser silently reads the former as
 *    `'n'::interval AS unit`). The rewrite pads with spaces so later offsets do not move.
 * 2. A trailing `EMIT ON WINDOW CLOSE` is removed and reported as a flag.
 * 3. psql's catalog queries are made parseable (catalog/psql-compat.ts).
 * 4. Exponent literals (`1e10`) and decimals the parser would round (`2.50`) become
 *    `('1e10'::numeric)` (numeric-literals.ts).
 * 5. `IS [NOT] DISTINCT FROM` becomes a stand-in operator (distinct-from.ts).
 */
export function preprocess(original: string): PreprocessResult {
  const catalogSafe = rewritePsqlCatalogQuery(original);
  const withExponents = rewriteNumericLiterals(catalogSafe, tokenize(catalogSafe));
  const sql = rewriteDistinctFrom(withExponents, tokenize(withExponents));
  const tokens = tokenize(sql);
  const rewritten = rewriteIntervals(sql, tokens);
  return stripEmitOnWindowClose(rewritten, tokens);
}

/** Rewrites `INTERVAL 'n' UNIT`; `tokens` must come from `tokenize(sql)`. */
export function rewriteIntervals(sql: string, tokens: readonly Token[] = tokenize(sql)): string {
  let out = '';
  let copied = 0;
  for (let t = 0; t + 2 < tokens.length; t++) {
    const [kw, lit, unit] = [tokens[t], tokens[t + 1], tokens[t + 2]];
    if (keywordOf(kw) !== 'interval' || lit.kind !== 'string' || !lit.text.startsWith("'")) continue;
    const unitName = keywordOf(unit);
    if (!unitName || !INTERVAL_UNITS.has(unitName)) continue;
    const gap = sql.slice(lit.end, unit.start);
    if (!/^\s+$/.test(gap) || !lit.text.endsWith("'") || lit.text.length < 2) continue;
    const replacement = `${lit.text.slice(0, -1)} ${unit.text}'`;
    const originalLength = unit.end - lit.start;
    out += sql.slice(copied, lit.start) + replacement + ' '.repeat(originalLength - replacement.length);
    copied = unit.end;
    t += 2;
  }
  return out + sql.slice(copied);
}

const EMIT_CLAUSE = ['emit', 'on', 'window', 'close'];

function stripEmitOnWindowClose(sql: string, tokens: readonly Token[]): PreprocessResult {
  let last = tokens.length;
  while (last > 0 && tokens[last - 1].text === ';') last--;
  if (last < EMIT_CLAUSE.length) return { sql, emitOnWindowClose: false };
  const tail = tokens.slice(last - EMIT_CLAUSE.length, last);
  if (!tail.every((tok, i) => keywordOf(tok) === EMIT_CLAUSE[i])) return { sql, emitOnWindowClose: false };
  return { sql: sql.slice(0, tail[0].start).trimEnd(), emitOnWindowClose: true };
}
