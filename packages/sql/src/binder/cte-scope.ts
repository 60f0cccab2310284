import { DbError, SqlState, notSupported, type TableCatalog } from '@tributary/common';
import type { SelectStatement } from 'pgsql-ast-parser';
import type { CatalogReader } from './catalog-reader.ts';

type WithAst = Extract<SelectStatement, { type: 'with' }>;

/**
 * The common table expressions of a `WITH` query, visible to its body and to the CTEs after them.
 * A reference to a CTE binds its query as a derived table (each reference its own copy, which is
 * what PostgreSQL's inlining of non-recursive CTEs gives). `WITH RECURSIVE` is 0A000.
 */
export class CteScope implements CatalogReader {
  private readonly ctes = new Map<string, SelectStatement>();

  private constructor(private readonly parent: CatalogReader) {}

  static of(parent: CatalogReader, ast: WithAst): CteScope {
    const scope = new CteScope(parent);
    for (const b of ast.bind) {
      const name = b.alias.name;
      if (scope.ctes.has(name)) throw new DbError(SqlState.DuplicateAlias, `WITH query name "${name}" specified more than once`);
      if (b.statement.type !== 'select' && b.statement.type !== 'union' && b.statement.type !== 'union all' && b.statement.type !== 'values') {
        throw notSupported(`${b.statement.type.toUpperCase()} in WITH`);
      }
      scope.ctes.set(name, b.statement);
    }
    return scope;
  }

  getRelation(name: string): TableCatalog | undefined {
    return this.parent.getRelation(name);
  }

  cte(name: string): SelectStatement | undefined {
    return this.ctes.get(name) ?? this.parent.cte?.(name);
  }
}
