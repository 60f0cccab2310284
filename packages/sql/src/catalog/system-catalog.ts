import type { TableCatalog } from '@tributary/common';
import { splitQualified, type QualifiedName } from '../session/search-path.ts';
import { systemRelation, type SystemCatalogSource, type SystemRelation, type SystemRelationDef } from './system-relation.ts';
import { pgAm } from './pg-catalog/pg-am.ts';
import { pgAttribute } from './pg-catalog/pg-attribute.ts';
import { pgClass } from './pg-catalog/pg-class.ts';
import { pgConstraint } from './pg-catalog/pg-constraint.ts';
import { pgDatabase } from './pg-catalog/pg-database.ts';
import { pgIndex } from './pg-catalog/pg-index.ts';
import { pgNamespace } from './pg-catalog/pg-namespace.ts';
import { pgProc } from './pg-catalog/pg-proc.ts';
import { pgRoles, pgUser } from './pg-catalog/pg-roles.ts';
import { pgSettings } from './pg-catalog/pg-settings.ts';
import { pgType } from './pg-catalog/pg-type.ts';
import { pgMatviews, pgTables, pgViews } from './pg-catalog/pg-views.ts';
import { pgAttrdef, pgDescription, pgInherits } from './pg-catalog/empty-relations.ts';
import { columns, schemata, tables } from './information-schema/tables.ts';

export const SYSTEM_RELATIONS: readonly SystemRelationDef[] = [
  pgNamespace, pgClass, pgAttribute, pgType, pgIndex, pgConstraint, pgDatabase, pgRoles, pgUser, pgTables,
  pgMatviews, pgViews, pgSettings, pgAm, pgProc, pgDescription, pgInherits, pgAttrdef, tables, columns, schemata,
];

const BY_NAME = new Map(SYSTEM_RELATIONS.map((d) => [`${d.schema}.${d.name}`, d]));

/**
 * Resolves `name` (`rel`, `schema.rel`, `pg_catalog.rel`, `information_schema.rel`) like
 * PostgreSQL's search path `pg_catalog, <search_path>`: a bare `pg_*` name is a system relation
 * only when no user relation has it (PostgreSQL would let pg_catalog win; Tributary keeps users'
 * tables reachable). `user` resolves user relations through the session's search path.
 */
export function resolveRelation(
  name: string, source: SystemCatalogSource, user: (name: QualifiedName) => TableCatalog | undefined,
): TableCatalog | SystemRelation | undefined {
  const q = splitQualified(name);
  if (q.schema !== null) {
    const def = BY_NAME.get(`${q.schema}.${q.name}`);
    if (!def) return user(q);
    if (q.database != null) user(q); // 0A000 unless the session's own database is named
    return systemRelation(def, source);
  }
  const own = user(q);
  if (own) return own;
  const def = BY_NAME.get(`pg_catalog.${name}`);
  return def ? systemRelation(def, source) : undefined;
}
