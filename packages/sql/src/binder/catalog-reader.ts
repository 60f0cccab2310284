import type { TableCatalog } from '@tributary/common';
import type { SelectStatement } from 'pgsql-ast-parser';

/** A read-only snapshot of the catalog, as the binder and planners see it. */
export interface CatalogReader {
  /**
   * The relation (table or MV) named `name` (`t` through the session's search path, or `s.t`),
   * or a system relation (`pg_class`, `pg_catalog.pg_class`, `information_schema.tables`);
   * undefined when absent.
   */
  getRelation(name: string): TableCatalog | undefined;
  /** The query of the common table expression `name` in scope (WITH), if any. */
  cte?(name: string): SelectStatement | undefined;
}
