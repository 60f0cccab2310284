import type { TableCatalog } from '@tributary/common';

/** A read-only snapshot of the catalog, as the binder and planners see it. */
export interface CatalogReader {
  /** The relation (table or MV) named `name` in schema `public`; undefined when absent. */
  getRelation(name: string): TableCatalog | undefined;
}
