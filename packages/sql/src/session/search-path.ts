import { CatalogError, DbError, relationDisplayName, SqlState, type TableCatalog } from '@tributary/common';

/** What name resolution needs of the session's database (DatabaseView). */
export interface NamespaceView {
  readonly database: string;
  schema(name: string): unknown;
  relation(schema: string, name: string): TableCatalog | undefined;
}

/** `[database.]schema.name` or a bare `name` (identifiers already case-folded by the parser). */
export interface QualifiedName {
  /** Only the session's own database may be named (SearchPath checks it). */
  database?: string | null;
  schema: string | null;
  name: string;
}

/** Splits `d.s.t` / `s.t` / `t` as the catalog readers receive names; more parts are 42601, as in PostgreSQL. */
export function splitQualified(name: string): QualifiedName {
  const parts = name.split('.');
  switch (parts.length) {
    case 1: return { schema: null, name };
    case 2: return { schema: parts[0], name: parts[1] };
    case 3: return { database: parts[0], schema: parts[1], name: parts[2] };
    default: throw new DbError(SqlState.SyntaxError, `improper qualified name (too many dotted names): ${name}`);
  }
}

/** The entries of a `search_path` value: `"$user", public` -> ['$user', 'public']. */
export function parseSearchPath(value: string): string[] {
  return value.split(',').map((p) => p.trim()).filter((p) => p.length > 0)
    .map((p) => (p.startsWith('"') && p.endsWith('"') && p.length >= 2 ? p.slice(1, -1).replaceAll('""', '"') : p.toLowerCase()));
}

/**
 * A session's `search_path`, as PostgreSQL applies it: unqualified names resolve in the first
 * schema of the path that has them (entries naming no existing schema, `$user` included, are
 * skipped), and new objects go to the first existing schema. `pg_catalog` is searched after the
 * path by the system catalog (Tributary keeps users' relations ahead of it: system-catalog.ts).
 */
export class SearchPath {
  constructor(
    private readonly view: NamespaceView,
    private readonly setting: () => string,
    private readonly user: string,
  ) {}

  /** Existing schemas of the path, in order (`current_schemas(false)`). */
  schemas(): string[] {
    const out: string[] = [];
    for (const entry of parseSearchPath(this.setting())) {
      const name = entry === '$user' ? this.user : entry;
      if (this.view.schema(name) && !out.includes(name)) out.push(name);
    }
    return out;
  }

  /** Where CREATE puts an unqualified name; 3F000 when no schema of the path exists. */
  creationSchema(): string {
    const first = this.schemas()[0];
    if (first === undefined) throw new CatalogError(SqlState.InvalidSchemaName, 'no schema has been selected to create in');
    return first;
  }

  /** 0A000 when `name` is qualified by a database other than the session's (PostgreSQL's rule). */
  checkDatabase(name: QualifiedName): void {
    if (name.database != null && name.database !== this.view.database) {
      throw new DbError(SqlState.FeatureNotSupported, `cross-database references are not implemented: ${name.database}.${name.schema}.${name.name}`);
    }
  }

  /** The schema a qualified or unqualified name is created in; 3F000 for an unknown schema. */
  targetSchema(name: QualifiedName): string {
    this.checkDatabase(name);
    if (name.schema === null) return this.creationSchema();
    if (!this.view.schema(name.schema)) throw new CatalogError(SqlState.InvalidSchemaName, `schema "${name.schema}" does not exist`);
    return name.schema;
  }

  /** A user relation; undefined when absent (and for unknown schemas: callers raise 42P01 like PG). */
  resolve(name: QualifiedName): TableCatalog | undefined {
    this.checkDatabase(name);
    if (name.schema !== null) return this.view.relation(name.schema, name.name);
    for (const schema of this.schemas()) {
      const rel = this.view.relation(schema, name.name);
      if (rel) return rel;
    }
    return undefined;
  }

  /** `schema.name` for messages; bare for `public`. */
  static displayName(rel: TableCatalog): string {
    return relationDisplayName(rel);
  }
}
