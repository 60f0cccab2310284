import type { ColumnCatalog, TableCatalog } from '@tributary/common';

/** A relation's user-visible columns with their 1-based `attnum`; hidden columns are left out. */
export function visibleColumns(t: TableCatalog): Array<{ column: ColumnCatalog; index: number; attnum: number }> {
  const out: Array<{ column: ColumnCatalog; index: number; attnum: number }> = [];
  t.columns.forEach((column, index) => {
    if (!column.hidden) out.push({ column, index, attnum: out.length + 1 });
  });
  return out;
}

/** attnums of the primary key columns, in key order. */
export function pkAttnums(t: TableCatalog): number[] {
  const vis = visibleColumns(t);
  return t.userPk.map((i) => vis.find((c) => c.index === i)?.attnum ?? 0);
}
