import { keywordOf, tokenize, type Token } from '../parser/sql-scanner.ts';

/**
 * Rewrites the catalog queries psql's meta-commands (`\d`, `\dt`, `\l`, ...) send into SQL that
 * pgsql-ast-parser and the binder accept. Statements that do not use these constructs come back
 * unchanged.
 * 1. `OPERATOR(pg_catalog.~)` -> `~`; `COLLATE pg_catalog.default` is dropped.
 * 2. `::pg_catalog.t` -> `::t`; casts to `regclass` / `regtype` / `regnamespace` are dropped (the
 *    oid stays) and `::oid` becomes `::integer` (oids are integers here).
 * 3. Scalar subqueries Tributary has no data for become constants: `(SELECT ... pg_attrdef ...)`
 *    and `(SELECT ... pg_collation ...)` -> NULL, `ARRAY(SELECT ...)` -> '{}',
 *    `array_to_string(...)` -> NULL (there are no ACL arrays).
 * 4. `\\d NAME`'s index query gets its FROM items reordered (see below).
 * 5. Queries on relations that are always empty here (row security policies, extended
 *    statistics, publications, partitions) become `SELECT NULL WHERE false`.
 * 6. `\\d SOURCE` asks for the foreign server of a foreign table (how sources show in pg_class) and
 *    needs exactly one row: it gets `source` with no options.
 */
const EMPTY_RELATIONS = new Set(['pg_policy', 'pg_statistic_ext', 'pg_publication', 'relpartbound']);
const DROPPED_CASTS = new Set(['regclass', 'regtype', 'regnamespace']);
const NULL_SUBQUERY_RELATIONS = new Set(['pg_attrdef', 'pg_collation']);

interface Edit { start: number; end: number; text: string }

export function rewritePsqlCatalogQuery(original: string): string {
  let sql = original;
  if (!/pg_catalog|regclass|regtype|::\s*oid/i.test(sql)) return sql;
  let tokens = tokenize(sql);
  if (tokens.some((t) => EMPTY_RELATIONS.has(keywordOf(t) ?? ''))) return 'SELECT NULL WHERE false';
  if (tokens.some((t) => keywordOf(t) === 'pg_foreign_table')) return "SELECT 'source' AS srvname, '' AS ftoptions";
  // `\d NAME`'s index query joins `pg_class c, pg_class c2, pg_index i` through its WHERE clause,
  // which the planner does not push below the LEFT JOIN that follows (and it has no nested-loop
  // join): spell the equalities as JOIN ... ON (the WHERE keeps them too, harmlessly).
  sql = sql.replace(/pg_catalog\.pg_class c, pg_catalog\.pg_class c2, pg_catalog\.pg_index i\b/,
    'pg_catalog.pg_class c JOIN pg_catalog.pg_index i ON c.oid = i.indrelid JOIN pg_catalog.pg_class c2 ON i.indexrelid = c2.oid');
  tokens = tokenize(sql);
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const edit = editAt(tokens, i);
    if (!edit) continue;
    edits.push(edit.edit);
    i = edit.next - 1;
  }
  let out = '';
  let copied = 0;
  for (const e of edits) {
    out += sql.slice(copied, e.start) + e.text;
    copied = e.end;
  }
  return out + sql.slice(copied);
}

function editAt(tokens: readonly Token[], i: number): { edit: Edit; next: number } | null {
  const word = (k: number): string => keywordOf(tokens[k] ?? { kind: 'punct', text: '', start: 0, end: 0 }) ?? '';
  const text = (k: number): string => tokens[k]?.text ?? '';
  const t = tokens[i];
  const span = (end: number, replacement: string) => ({ edit: { start: t.start, end: tokens[end].end, text: replacement }, next: end + 1 });
  if (word(i) === 'operator' && text(i + 1) === '(') {
    const close = matching(tokens, i + 1);
    const inner = tokens.slice(i + 2, close).filter((x, k, all) => !(keywordOf(x) === 'pg_catalog' || (x.text === '.' && keywordOf(all[k - 1]) === 'pg_catalog')));
    return span(close, ` ${inner.map((x) => x.text).join('')} `);
  }
  if (word(i) === 'collate' && word(i + 1) === 'pg_catalog' && text(i + 2) === '.') return span(i + 3, '');
  if (text(i) === ':' && text(i + 1) === ':') {
    let k = i + 2;
    if (word(k) === 'pg_catalog' && text(k + 1) === '.') k += 2;
    if (DROPPED_CASTS.has(word(k))) return span(k, '');
    if (word(k) === 'oid') return span(k, '::integer');
    if (k !== i + 2) return span(k, `::${text(k)}`);
    return null;
  }
  if (text(i) === '(' && word(i + 1) === 'select') {
    const close = matching(tokens, i);
    const body = tokens.slice(i, close);
    if (body.some((x) => NULL_SUBQUERY_RELATIONS.has(keywordOf(x) ?? ''))) return span(close, 'NULL');
    return null;
  }
  if (word(i) === 'array' && text(i + 1) === '(' && word(i + 2) === 'select') return span(matching(tokens, i + 1), "'{}'");
  if (word(i) === 'pg_catalog' && text(i + 1) === '.' && word(i + 2) === 'array_to_string' && text(i + 3) === '(') {
    return span(matching(tokens, i + 3), 'NULL');
  }
  return null;
}

/** Index of the `)` closing the `(` at `open` (the last token when unbalanced). */
function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k].text === '(') depth++;
    else if (tokens[k].text === ')' && --depth === 0) return k;
  }
  return tokens.length - 1;
}
