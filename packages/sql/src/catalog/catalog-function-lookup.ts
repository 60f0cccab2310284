import type { CatalogFunctionLookup, TableCatalog } from '@tributary/common';
import { pkIndexName, pkIndexOid, relationOid, userOids } from './oids.ts';

/** What `pg_get_userbyid`, `pg_get_viewdef`, ... read: the frontend's current catalog. */
export function catalogFunctionLookup(
  relations: () => TableCatalog[], users: () => Array<{ name: string }>,
): CatalogFunctionLookup {
  const byOid = (oid: number, f: (t: TableCatalog) => number): TableCatalog | undefined => relations().find((t) => f(t) === oid);
  const pkColumns = (t: TableCatalog): string => t.userPk.map((i) => t.columns[i].name).join(', ');
  return {
    userName: (oid) => [...userOids(users())].find(([, o]) => o === oid)?.[0] ?? null,
    viewDefinition: (oid) => {
      const t = byOid(oid, relationOid);
      if (!t || t.kind !== 'materialized view') return null;
      const m = /\bAS\s+([\s\S]*)$/i.exec(t.definition);
      return ` ${(m ? m[1] : t.definition).trim().replace(/;?$/, ';')}`;
    },
    indexDefinition: (oid) => {
      const t = byOid(oid, pkIndexOid);
      return t ? `CREATE UNIQUE INDEX ${pkIndexName(t)} ON ${t.schemaName}.${t.name} USING btree (${pkColumns(t)})` : null;
    },
    constraintDefinition: (oid) => {
      const t = byOid(oid, pkIndexOid);
      return t ? `PRIMARY KEY (${pkColumns(t)})` : null;
    },
  };
}
