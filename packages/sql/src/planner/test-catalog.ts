import type { TableCatalog } from '@tributary/common';
import { parse, type CreateTableStatement, type Statement } from 'pgsql-ast-parser';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { planCreateMv } from './create-mv.ts';
import { planCreateTable } from './create-table.ts';

/** Test fixture: an in-memory catalog that assigns ids like meta would. */
export class TestCatalog implements CatalogReader {
  private readonly relations = new Map<string, TableCatalog>();
  private nextId = 1001;

  getRelation(name: string): TableCatalog | undefined {
    return this.relations.get(name.replace(/^public\./, ''));
  }

  private register(c: TableCatalog): TableCatalog {
    const id = this.nextId++;
    const fragmentId = id * 10 + c.materializeFragmentId;
    const registered: TableCatalog = { ...c, id, storage: { ...c.storage, tableId: id }, materializeFragmentId: fragmentId, state: 'created' };
    this.relations.set(c.name, registered);
    return registered;
  }

  createTable(sql: string): TableCatalog {
    return this.register(planCreateTable(stmt(sql) as CreateTableStatement, { definition: sql }).catalog);
  }

  createMv(name: string, query: string): TableCatalog {
    const select = stmt(query);
    return this.register(planCreateMv(name, select as never, this, { definition: query }).catalog);
  }
}

export function stmt(sql: string): Statement {
  return parse(sql)[0];
}
