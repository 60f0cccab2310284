import type { DropObjectKind, ParsedStatement } from './parsed-statement.ts';
import type { TokenCursor } from './token-cursor.ts';

const OBJECT_KINDS: ReadonlyArray<[string[], DropObjectKind]> = [
  [['table'], 'table'],
  [['materialized', 'view'], 'materialized view'],
  [['view'], 'view'],
  [['source'], 'source'],
  [['sink'], 'sink'],
  [['index'], 'index'],
  [['schema'], 'schema'],
  [['database'], 'database'],
];

/** True when the tokens after DROP name an object kind this parser handles. */
export function isHandledDrop(cur: TokenCursor): boolean {
  return OBJECT_KINDS.some(([words]) => words.every((w, i) => cur.peek(i)?.text.toLowerCase() === w));
}

/** After `DROP`: `kind [IF EXISTS] a, b [CASCADE | RESTRICT]`. */
export function parseDrop(cur: TokenCursor): ParsedStatement {
  const entry = OBJECT_KINDS.find(([words]) => cur.accept(...words));
  if (!entry) throw cur.error();
  const ifExists = cur.accept('if', 'exists');
  const names = [cur.qualifiedName()];
  while (cur.acceptPunct(',')) names.push(cur.qualifiedName());
  const cascade = cur.accept('cascade');
  if (!cascade) cur.accept('restrict');
  cur.expectEnd();
  return { kind: 'drop', objectKind: entry[1], names, ifExists, cascade };
}
