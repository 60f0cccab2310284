import type { SchemaCatalog, TableCatalog } from '@tributary/common';
import type { FrontendMeta } from '../frontend/frontend-meta.ts';

/**
 * The catalog as one database sees it: its own schemas and relations, nothing of the other
 * databases (PostgreSQL's rule: a session reaches only the database it connected to). Sessions,
 * handlers, name resolution and the system catalog read names only through this view.
 */
export class DatabaseView {
  constructor(private readonly meta: FrontendMeta, readonly database: string) {}

  schema(name: string): SchemaCatalog | undefined {
    return this.meta.schema(this.database, name);
  }

  relation(schema: string, name: string): TableCatalog | undefined {
    return this.meta.relation(this.database, schema, name);
  }

  /** Schemas of this database, `public` included. */
  schemas(): SchemaCatalog[] {
    return this.meta.schemasOf(this.database);
  }

  /** Relations of this database, every schema. */
  relations(): TableCatalog[] {
    return this.meta.relationsOf(this.database);
  }
}
