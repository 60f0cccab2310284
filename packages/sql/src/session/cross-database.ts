import { DbError, SqlState } from '@tributary/common';
import { identifierOf, tokenize, type Token } from '../parser/sql-scanner.ts';
import { ParseError } from '../parser/parse-error.ts';
import { parseStatement, type ParsedStatement } from '../parser/index.ts';

/**
 * Parses a statement of a session connected to `database`, with PostgreSQL's rule for names
 * qualified by a database (`db.schema.table`, `db.schema.table.column`): the session's own
 * database may be named (the prefix is dropped), any other is 0A000 "cross-database references
 * are not implemented". pgsql-ast-parser knows no three-part names, so this runs only when it
 * fails, and looks only at dotted names whose first part is a database that exists.
 */
export function parseInDatabase(sql: string, database: string, isDatabase: (name: string) => boolean): ParsedStatement {
  try {
    return parseStatement(sql);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const rewritten = stripOwnDatabase(sql, database, isDatabase);
    if (rewritten === null) throw err;
    return parseStatement(rewritten);
  }
}

/** `sql` with `database.` removed from its 3- and 4-part names (offsets kept); null when none. */
function stripOwnDatabase(sql: string, database: string, isDatabase: (name: string) => boolean): string | null {
  const tokens = tokenize(sql);
  let out = sql;
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && tokens[i - 1].text === '.') continue; // not the first part of a name
    const parts = dottedName(tokens, i);
    if (parts.length < 3 || !isDatabase(identifierOf(parts[0]))) continue;
    if (identifierOf(parts[0]) !== database) {
      throw new DbError(SqlState.FeatureNotSupported, `cross-database references are not implemented: ${parts.map(identifierOf).join('.')}`);
    }
    // Blank out `db.` (the name and its dot) so later offsets in error positions do not move.
    const end = tokens[i + 1].end;
    out = out.slice(0, parts[0].start) + ' '.repeat(end - parts[0].start) + out.slice(end);
    changed = true;
  }
  return changed ? out : null;
}

/** The identifiers of the dotted name starting at token `i` (`a.b.c` -> [a, b, c]). */
function dottedName(tokens: readonly Token[], i: number): Token[] {
  const parts: Token[] = [];
  for (let j = i; j < tokens.length; j += 2) {
    const t = tokens[j];
    if (t.kind !== 'word' && t.kind !== 'quoted_ident') break;
    parts.push(t);
    if (tokens[j + 1]?.text !== '.' || tokens[j + 1].start !== t.end) break;
  }
  return parts;
}
