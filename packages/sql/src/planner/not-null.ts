import { DbError, formatDatum, SqlState, type Datum, type TableCatalog } from '@tributary/common';

/** True when column `i` of `table` is NOT NULL (declared, or part of the primary key). */
export function isNotNull(table: TableCatalog, i: number): boolean {
  return table.columns[i].notNull === true || table.userPk.includes(i);
}

/** Indexes of the NOT NULL columns (empty for most tables: callers skip the check). */
export function notNullColumns(table: TableCatalog): number[] {
  return table.columns.flatMap((_, i) => (isNotNull(table, i) ? [i] : []));
}

/**
 * 23502 unless every NOT NULL column of `row` (a full table row) has a value, with PostgreSQL's
 * message and `Failing row contains (...)` detail (visible columns, text output).
 */
export function checkNotNull(table: TableCatalog, row: readonly Datum[], columns = notNullColumns(table), detail?: string): void {
  for (const k of columns) {
    if (row[k] !== null) continue;
    const shown = table.columns.flatMap((c, i) => (c.hidden ? [] : [row[i] === null ? 'null' : formatDatum(c.type, row[i])]));
    throw new DbError(
      SqlState.NotNullViolation,
      `null value in column "${table.columns[k].name}" of relation "${table.name}" violates not-null constraint`,
      { detail: detail ?? `Failing row contains (${shown.join(', ')}).` },
    );
  }
}

/** `checkNotNull` over many rows (INSERT ... SELECT, UPDATE, COPY batches). */
export function checkNotNullRows(table: TableCatalog, rows: Iterable<readonly Datum[]>): void {
  const columns = notNullColumns(table);
  if (columns.length === 0) return;
  for (const row of rows) checkNotNull(table, row, columns);
}
