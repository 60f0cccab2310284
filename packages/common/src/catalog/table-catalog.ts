import type { DataType } from '../types/data-type.ts';
import type { StateTableDesc } from '../plan/state-table-desc.ts';

export type RelationKind = 'table' | 'materialized view';

export interface ColumnCatalog {
  name: string;
  type: DataType;
  /** Hidden columns (the `_row_id`, stream key columns an MV keeps for itself) are not in `*`. */
  hidden: boolean;
  /** NOT NULL (declared, or a primary key column); absent = nullable. Enforced by the frontend's DML. */
  notNull?: boolean;
}

/** A user-visible relation (table or MV) as stored by meta and cached by frontends. */
export interface TableCatalog {
  id: number;
  name: string;
  schemaName: string;
  kind: RelationKind;
  columns: ColumnCatalog[];
  /** Storage layout of the relation's own rows. */
  storage: StateTableDesc;
  /** Index of the hidden `_row_id` column, for tables without a primary key. */
  rowIdIndex: number | null;
  /** The user's primary key columns (tables only; empty for MVs). */
  userPk: number[];
  /** The statement text that created it. */
  definition: string;
  /** Relations this one reads (MVs). */
  dependsOn: number[];
  /** Fragment running the relation's materialize (or DML) executor. */
  materializeFragmentId: number;
  state: 'creating' | 'created';
  owner: string;
}
