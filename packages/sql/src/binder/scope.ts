import { DbError, SqlState, type DataType, type TableCatalog } from '@tributary/common';

/** One column visible to expressions: an input column of the relation being bound. */
export interface ScopeColumn {
  name: string;
  type: DataType;
  hidden: boolean;
  /** The table name or alias that qualifies it (`t` in `t.x`); null for none. */
  qualifier: string | null;
  /** The right-hand twin of a `JOIN ... USING` column: resolves only qualified, not in `*`. */
  usingHidden?: boolean;
}

/** The columns an expression may reference, in input order. */
export class Scope {
  constructor(readonly columns: readonly ScopeColumn[]) {}

  static empty(): Scope {
    return new Scope([]);
  }

  /** All columns of `table` (hidden ones too: they resolve by name but are not in `*`). */
  static ofRelation(table: TableCatalog, alias?: string): Scope {
    const qualifier = alias ?? table.name;
    return new Scope(table.columns.map((c) => ({ name: c.name, type: c.type, hidden: c.hidden, qualifier })));
  }

  /** Index of the column `[qualifier.]name`. Throws 42P01, 42703 or 42702. */
  resolve(qualifier: string | undefined, name: string): number {
    if (qualifier !== undefined && !this.columns.some((c) => c.qualifier === qualifier)) {
      throw new DbError(SqlState.UndefinedTable, `missing FROM-clause entry for table "${qualifier}"`);
    }
    let found = -1;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      if (c.name !== name || (qualifier !== undefined && c.qualifier !== qualifier)) continue;
      if (qualifier === undefined && c.usingHidden) continue;
      if (found >= 0) throw new DbError(SqlState.AmbiguousColumn, `column reference "${name}" is ambiguous`);
      found = i;
    }
    if (found < 0) {
      const shown = qualifier !== undefined ? `${qualifier}.${name}` : `"${name}"`;
      throw new DbError(SqlState.UndefinedColumn, `column ${shown} does not exist`);
    }
    return found;
  }

  /** Whether `[qualifier.]name` names a column of this scope (never throws). */
  has(qualifier: string | undefined, name: string): boolean {
    return this.columns.some((c) => c.name === name && (qualifier === undefined || c.qualifier === qualifier));
  }

  /** `qualifier.name` for messages and EXPLAIN. */
  qualifiedName(index: number): string {
    const c = this.columns[index];
    return c.qualifier ? `${c.qualifier}.${c.name}` : c.name;
  }
}
