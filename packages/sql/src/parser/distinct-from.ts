import { keywordOf, type Token } from './sql-scanner.ts';

/**
 * pgsql-ast-parser has no `IS [NOT] DISTINCT FROM`. Each becomes a binary operator the parser
 * reads at comparison precedence and that Tributary gives no other meaning: `@@` (IS DISTINCT
 * FROM) and `?&` (IS NOT DISTINCT FROM); the binder maps them back (`DISTINCT_FROM_OPERATORS`).
 * The operator is padded with spaces, so offsets after it (error positions) do not move.
 * PostgreSQL binds IS below comparisons; here `a = b IS DISTINCT FROM c` groups as
 * `a = (b IS DISTINCT FROM c)`: parenthesize such mixes.
 */
export function rewriteDistinctFrom(sql: string, tokens: readonly Token[]): string {
  let out = '';
  let copied = 0;
  for (let t = 0; t + 3 < tokens.length; t++) {
    if (keywordOf(tokens[t]) !== 'is') continue;
    const negated = keywordOf(tokens[t + 1]) === 'not';
    const d = t + (negated ? 2 : 1);
    if (keywordOf(tokens[d]) !== 'distinct' || keywordOf(tokens[d + 1]) !== 'from') continue;
    const start = tokens[t].start;
    const end = tokens[d + 1].end;
    const op = negated ? '?&' : '@@';
    out += sql.slice(copied, start) + op + ' '.repeat(end - start - op.length);
    copied = end;
    t = d + 1;
  }
  return copied === 0 ? sql : out + sql.slice(copied);
}

/** The parser's stand-in operators and the functions they mean. */
export const DISTINCT_FROM_OPERATORS: Readonly<Record<string, string>> = { '@@': 'is_distinct_from', '?&': 'is_not_distinct_from' };
