import { CatalogError, SqlState, type TableCatalog } from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';

/**
 * The catalog of relations (tables, MVs). In memory, loaded from and written through the meta
 * store; every change is made as meta-store ops so it can join a barrier commit's transaction.
 */
export class CatalogManager {
  private readonly byId = new Map<number, TableCatalog>();

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    for (const [, json] of await this.store.list(CF.relations)) {
      const rel = JSON.parse(json) as TableCatalog;
      this.byId.set(rel.id, rel);
    }
  }

  all(): TableCatalog[] {
    return [...this.byId.values()];
  }

  get(id: number): TableCatalog | undefined {
    return this.byId.get(id);
  }

  getByName(name: string): TableCatalog | undefined {
    for (const rel of this.byId.values()) if (rel.name === name) return rel;
    return undefined;
  }

  checkNameFree(name: string): void {
    if (this.getByName(name)) throw new CatalogError(SqlState.DuplicateTable, `relation "${name}" already exists`);
  }

  /** Relations that read `id`, directly. */
  dependents(id: number): TableCatalog[] {
    return this.all().filter((r) => r.dependsOn.includes(id));
  }

  /** `id` and everything depending on it transitively, dependents first. */
  cascade(id: number): TableCatalog[] {
    const out: TableCatalog[] = [];
    const seen = new Set<number>();
    const visit = (rid: number) => {
      if (seen.has(rid)) return;
      seen.add(rid);
      for (const d of this.dependents(rid)) visit(d.id);
      const rel = this.byId.get(rid);
      if (rel) out.push(rel);
    };
    visit(id);
    return out;
  }

  putOp(rel: TableCatalog): MetaStoreOp {
    return { kind: 'put', cf: CF.relations, key: pad(rel.id), value: JSON.stringify(rel) };
  }

  deleteOp(id: number): MetaStoreOp {
    return { kind: 'delete', cf: CF.relations, key: pad(id) };
  }

  /** Applies in memory what `putOp`/`deleteOp` made durable. */
  applyPut(rel: TableCatalog): void {
    this.byId.set(rel.id, rel);
  }

  applyDelete(id: number): void {
    this.byId.delete(id);
  }
}

export function pad(id: number): string {
  return String(id).padStart(10, '0');
}
