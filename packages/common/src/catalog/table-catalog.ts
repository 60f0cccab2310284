import type { DataType } from '../types/data-type.ts';
import type { StateTableDesc } from '../plan/state-table-desc.ts';

export type RelationKind = 'table' | 'materialized view' | 'source';

/** `WATERMARK FOR column AS column - delay` of a table or source. */
export interface WatermarkDesc {
  /** Column index. */
  column: number;
  /** The delay in microseconds, as a decimal string. */
  delayMicros: string;
}

/** The connector of a source (`CREATE SOURCE ... WITH (connector = ...)`). */
export interface SourceDesc {
  connector: string;
  /** All WITH options as given (lower-cased dotted keys). */
  options: Record<string, string>;
}

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
  /** The database holding it; names are unique per (database, schema). */
  databaseName: string;
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
  /** Tables and sources declared with `WATERMARK FOR`. */
  watermark?: WatermarkDesc;
  /** MVs: columns whose watermarks the view's stream carries (from its inputs'), for views over it. */
  watermarkColumns?: number[];
  /** Sources only: not materialized; each MV reading it runs its own source executor. */
  source?: SourceDesc;
}
