import type { DataType, Datum, TableCatalog } from '@tributary/common';
import type { DatabaseCatalog, SchemaCatalog, TableCatalog as UserRelation } from '@tributary/common';

/**
 * A system relation (`pg_catalog.pg_class`, `information_schema.tables`, ...): a virtual table
 * whose rows are computed from the frontend's catalog view when a query is planned. The batch
 * planner turns a scan of it into a `values` node of literal rows, so filters, joins and
 * functions work on it unchanged.
 */
export interface SystemRelation extends TableCatalog {
  systemRows: () => Datum[][];
}

export function isSystemRelation(t: TableCatalog): t is SystemRelation {
  return typeof (t as Partial<SystemRelation>).systemRows === 'function';
}

/** What system relations are computed from: one session's view of the cluster. */
export interface SystemCatalogSource {
  /** User relations (tables and MVs) of every schema. */
  relations(): UserRelation[];
  /** User schemas (`public` included). */
  schemas(): SchemaCatalog[];
  databases(): DatabaseCatalog[];
  users(): Array<{ name: string; superuser: boolean }>;
  database: string;
  user: string;
  settings: ReadonlyMap<string, string>;
}

/** One system relation's definition: its columns and how to compute its rows. */
export interface SystemRelationDef {
  schema: 'pg_catalog' | 'information_schema';
  name: string;
  /** The relation's own oid in pg_class. */
  oid: number;
  columns: ReadonlyArray<readonly [string, DataType]>;
  rows(source: SystemCatalogSource): Datum[][];
}

/** Builds the `TableCatalog` the binder and planner see for `def`. */
export function systemRelation(def: SystemRelationDef, source: SystemCatalogSource): SystemRelation {
  const types = def.columns.map(([, t]) => t);
  return {
    id: def.oid,
    name: def.name,
    schemaName: def.schema,
    databaseName: source.database,
    kind: 'table',
    columns: def.columns.map(([name, type]) => ({ name, type, hidden: false })),
    storage: { tableId: -1, name: `${def.schema}.${def.name}`, columns: types, pk: [], pkOrders: [], distKey: [] },
    rowIdIndex: null,
    userPk: [],
    definition: '',
    dependsOn: [],
    materializeFragmentId: -1,
    state: 'created',
    owner: 'root',
    systemRows: () => def.rows(source),
  };
}
