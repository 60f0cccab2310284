import { isBlank, skipNonCode } from './sql-scanner.ts';

export interface StatementPiece {
  /** Statement text, trimmed, without its terminating `;`. */
  readonly sql: string;
  /** Offset of `sql` inside the original query string. */
  readonly offset: number;
}

/**
 * Splits a query string on `;` outside strings, quoted identifiers, dollar quotes and comments.
 * Pieces holding only whitespace or comments are dropped, so an all-empty string yields [].
 */
export function splitStatementsWithOffsets(sql: string): StatementPiece[] {
  const pieces: StatementPiece[] = [];
  let start = 0;
  let i = 0;
  while (i <= sql.length) {
    if (i === sql.length || sql[i] === ';') {
      pushPiece(pieces, sql, start, i);
      start = i + 1;
      i++;
      continue;
    }
    const next = skipNonCode(sql, i);
    i = next === i ? i + 1 : next;
  }
  return pieces;
}

function pushPiece(pieces: StatementPiece[], sql: string, start: number, end: number): void {
  const raw = sql.slice(start, end);
  if (isBlank(raw)) return;
  const lead = raw.length - raw.trimStart().length;
  pieces.push({ sql: raw.trim(), offset: start + lead });
}

/** Statement texts of `sql` (see `splitStatementsWithOffsets`). */
export function splitStatements(sql: string): string[] {
  return splitStatementsWithOffsets(sql).map((p) => p.sql);
}
