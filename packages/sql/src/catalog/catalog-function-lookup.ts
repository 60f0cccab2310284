import type { CatalogFunctionLookup, TableCatalog } from '@tributary/common';
import { pkIndexName, pkIndexOid, relationOid, userOids } from './oids.ts';
import { currentSession } from '../session/session-context.ts';

/** What `pg_get_userbyid`, `pg_get_viewdef`, ... read: the calling session's database (`relations`) and the session itself. */
export function catalogFunctionLookup(
  relations: () => TableCatalog[], users: () => Array<{ name: string }>,
): CatalogFunctionLookup {
  const byOid = (oid: number, f: (t: TableCatalog) => number): TableCatalog | undefined => relations().find((t) => f(t) === oid);
  const pkColumns = (t: TableCatalog): string => t.userPk.map((i) => t.columns[i].name).join(', ');
  return {
    session: currentSession,
    tableVisible: (oid) => {
      const t = byOid(oid, relationOid) ?? byOid(oid, pkIndexOid);
      const path = currentSession()?.searchPath;
      if (!t || !path) return true; // system relations (pg_catalog is always searched)
      const name = byOid(oid, relationOid) ? t.name : pkIndexName(t);
      // Visible: the first schema of the path holding a relation (or index) of that name is t's.
      const holder = path.find((schema) => relations().some((r) => r.schemaName === schema && (r.name === name || pkIndexName(r) === name)));
      return holder === t.schemaName;
    },
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
