import type { Expr, InsertStatement } from 'pgsql-ast-parser';
import { tokenize, type Token } from './sql-scanner.ts';

/**
 * A fast path for the bulk-load shape `INSERT INTO name [(cols)] VALUES (lit, ...), ...` whose
 * values are plain literals (numbers, '...' strings, NULL, TRUE, FALSE, with an optional minus).
 * pgsql-ast-parser (nearley) spends milliseconds per row on such statements; this produces the
 * same AST in one linear scan. Returns null for anything else: the full parser handles it.
 */
export function parseFastInsert(sql: string): InsertStatement | null {
  if (!/^\s*insert\s/i.test(sql)) return null;
  const t = tokenize(sql);
  let i = 0;
  const kw = (w: string) => t[i]?.kind === 'word' && t[i].text.toLowerCase() === w && ++i > 0;
  const punct = (p: string) => t[i]?.kind === 'punct' && t[i].text === p && ++i > 0;
  const ident = (): string | null => {
    const tok = t[i];
    if (!tok) return null;
    if (tok.kind === 'word') return (i++, tok.text.toLowerCase());
    if (tok.kind === 'quoted_ident') return (i++, tok.text.slice(1, -1).replace(/""/g, '"'));
    return null;
  };
  if (!kw('insert') || !kw('into')) return null;
  let name = ident();
  let schema: string | undefined;
  if (name === null) return null;
  if (punct('.')) {
    schema = name;
    name = ident();
    if (name === null) return null;
  }
  const columns: { name: string }[] = [];
  if (punct('(')) {
    do {
      const c = ident();
      if (c === null) return null;
      columns.push({ name: c });
    } while (punct(','));
    if (!punct(')')) return null;
  }
  if (!kw('values')) return null;
  const rows: Expr[][] = [];
  do {
    if (!punct('(')) return null;
    const row: Expr[] = [];
    do {
      const lit = literal(t, i);
      if (!lit) return null;
      row.push(lit.expr);
      i = lit.next;
    } while (punct(','));
    if (!punct(')')) return null;
    rows.push(row);
  } while (punct(','));
  punct(';');
  if (i !== t.length) return null;
  const into = schema ? { schema, name } : { name };
  const stmt: InsertStatement = { type: 'insert', into, insert: { type: 'values', values: rows } } as InsertStatement;
  if (columns.length > 0) stmt.columns = columns;
  return stmt;
}

function literal(t: Token[], i: number): { expr: Expr; next: number } | null {
  let neg = false;
  if (t[i]?.kind === 'punct' && t[i].text === '-') {
    neg = true;
    i++;
  }
  const tok = t[i];
  if (!tok) return null;
  if (tok.kind === 'number') {
    const text = tok.text;
    if (/^\d+$/.test(text)) {
      const v = Number(text);
      if (!Number.isSafeInteger(v)) return null;
      return { expr: { type: 'integer', value: neg ? -v : v }, next: i + 1 };
    }
    if (/^(\d+\.\d*|\.\d+)$/.test(text)) return { expr: { type: 'numeric', value: neg ? -Number(text) : Number(text) }, next: i + 1 };
    return null;
  }
  if (neg) return null;
  if (tok.kind === 'string' && tok.text.startsWith("'")) {
    return { expr: { type: 'string', value: tok.text.slice(1, -1).replace(/''/g, "'") }, next: i + 1 };
  }
  if (tok.kind === 'word') {
    const w = tok.text.toLowerCase();
    if (w === 'null') return { expr: { type: 'null' }, next: i + 1 };
    if (w === 'true' || w === 'false') return { expr: { type: 'boolean', value: w === 'true' }, next: i + 1 };
  }
  return null;
}
