import type { CatalogReader } from '../binder/catalog-reader.ts';
import type { FrontendMeta } from '../frontend/frontend-meta.ts';
import type { DmlWriter } from '../frontend/dml-writer.ts';
import type { SearchPath } from '../session/search-path.ts';
import type { DatabaseView } from '../session/database-view.ts';

/** What statement handlers get: the cluster view, the DML writer, the session's settings. */
export interface HandlerContext {
  meta: FrontendMeta;
  dml: DmlWriter;
  catalog: CatalogReader;
  /** The schemas and relations of the session's database (the only ones it may name). */
  namespace: DatabaseView;
  /** The session's search_path: resolves unqualified names, picks the schema CREATE uses. */
  searchPath: SearchPath;
  user: string;
  database: string;
  settings: Map<string, string>;
  signal: AbortSignal;
}
