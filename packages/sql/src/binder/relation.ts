import { DbError, SqlState, notSupported, type TableCatalog } from '@tributary/common';
import type { From, QNameAliased } from 'pgsql-ast-parser';
import type { CatalogReader } from './catalog-reader.ts';

/** The one relation a query reads, with the name that qualifies its columns. */
export interface BoundRelation {
  table: TableCatalog;
  qualifier: string;
}

/** Looks up `name` in schema public; 42P01 `relation "x" does not exist`. */
export function lookupRelation(catalog: CatalogReader, name: QNameAliased): BoundRelation {
  const full = name.schema ? `${name.schema}.${name.name}` : name.name;
  const table = !name.schema || name.schema === 'public' ? catalog.getRelation(name.name) : undefined;
  if (!table) throw new DbError(SqlState.UndefinedTable, `relation "${full}" does not exist`);
  return { table, qualifier: name.alias ?? table.name };
}

/** Binds a FROM list: nothing or a single table / MV. Joins, subqueries and functions are 0A000. */
export function bindFrom(catalog: CatalogReader, from: From[] | null | undefined): BoundRelation | null {
  if (!from || from.length === 0) return null;
  if (from.length > 1 || from.some((f) => f.join)) throw notSupported('JOIN');
  const f = from[0];
  if (f.type === 'statement') throw notSupported('subqueries in FROM');
  if (f.type === 'call') throw notSupported('table functions in FROM');
  if (f.name.columnNames?.length) throw notSupported('column aliases in FROM');
  return lookupRelation(catalog, f.name);
}
