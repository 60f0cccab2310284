import {
  DbError, DEFAULT_DATABASE, SqlState, notSupported,
  type ColumnCatalog, type DataType, type StateTableDesc, type StreamFragmentGraph, type StreamNode, type TableCatalog,
  type WatermarkDesc,
} from '@tributary/common';
import type { ParsedWatermark } from '../parser/watermark-clause.ts';
import type { CreateColumnDef, CreateTableStatement } from 'pgsql-ast-parser';
import { bindDataType } from '../binder/bind-type.ts';
import { explainStream } from './explain-stream.ts';

export const ROW_ID_COLUMN = '_row_id';

export interface PlannedTable {
  catalog: TableCatalog;
  graph: StreamFragmentGraph;
  explain: string;
}

/**
 * CREATE TABLE: the catalog entry (id -1, meta assigns) and its one-fragment streaming job
 * `dml -> [rowIdGen ->] materialize(overwrite)`, distributed by the primary key. Without a
 * primary key a hidden `_row_id bigint` column is appended and serves as pk and dist key.
 */
export function planCreateTable(
  ast: CreateTableStatement, opts: { definition: string; owner?: string; schemaName?: string; databaseName?: string; watermark?: ParsedWatermark },
): PlannedTable {
  rejectUnsupported(ast);
  const name = ast.name.name;
  const defs = ast.columns as CreateColumnDef[];
  const columns: ColumnCatalog[] = [];
  for (const def of defs) {
    if (columns.some((c) => c.name === def.name.name)) {
      throw new DbError(SqlState.DuplicateColumn, `column "${def.name.name}" specified more than once`);
    }
    const notNull = (def.constraints ?? []).some((k) => k.type === 'not null' || k.type === 'primary key');
    columns.push({ name: def.name.name, type: bindDataType(def.dataType), hidden: false, ...(notNull ? { notNull } : {}) });
  }
  const userPk = primaryKey(ast, defs, columns);
  for (const i of userPk) columns[i].notNull = true; // PostgreSQL: primary key columns are NOT NULL
  let rowIdIndex: number | null = null;
  if (userPk.length === 0) {
    rowIdIndex = columns.length;
    columns.push({ name: ROW_ID_COLUMN, type: 'bigint', hidden: true });
  }
  const pk = rowIdIndex === null ? userPk : [rowIdIndex];
  const types: DataType[] = columns.map((c) => c.type);
  const storage: StateTableDesc = {
    tableId: -1, name, columns: types, pk, pkOrders: pk.map(() => 'asc'), distKey: pk,
    ...(rowIdIndex !== null ? { distKeyIsRowId: true } : {}),
  };
  const names = columns.map((c) => c.name);
  const dml: StreamNode = { kind: 'dml', tableId: -1, schema: types, names };
  const watermark = opts.watermark ? bindWatermark(opts.watermark, columns) : undefined;
  const ided: StreamNode = rowIdIndex === null ? dml : { kind: 'rowIdGen', rowIdIndex, input: dml, schema: types, names };
  const input = watermark ? watermarkFilter(name, watermark, ided) : ided;
  const root: StreamNode = { kind: 'materialize', table: storage, conflict: 'overwrite', input, schema: types, names };
  const catalog: TableCatalog = {
    id: -1, name, schemaName: opts.schemaName ?? 'public', databaseName: opts.databaseName ?? DEFAULT_DATABASE, kind: 'table', columns, storage, rowIdIndex, userPk,
    definition: opts.definition, dependsOn: [], materializeFragmentId: 0, state: 'creating', owner: opts.owner ?? 'root',
    ...(watermark ? { watermark } : {}),
  };
  const graph: StreamFragmentGraph = { fragments: [{ fragmentId: 0, distribution: { kind: 'hash', keys: pk }, node: root }], edges: [] };
  return { catalog, graph, explain: explainStream(root, columns.map((c) => c.hidden)) };
}

/** The catalog form of `WATERMARK FOR`: the column must exist and be a timestamp. */
export function bindWatermark(w: ParsedWatermark, columns: ColumnCatalog[]): WatermarkDesc {
  const column = columns.findIndex((c) => c.name === w.column && !c.hidden);
  if (column < 0) throw new DbError(SqlState.UndefinedColumn, `column "${w.column}" named in WATERMARK FOR does not exist`);
  const type = columns[column].type;
  if (type !== 'timestamp without time zone' && type !== 'timestamp with time zone') {
    throw notSupported(`WATERMARK FOR a column of type ${type}`, 'Watermarks need a timestamp or timestamptz column.');
  }
  return { column, delayMicros: w.delayMicros };
}

/** A WatermarkFilter over `input` (state table: one row per actor, see `WatermarkFilterNode`). */
export function watermarkFilter(relName: string, w: WatermarkDesc, input: StreamNode): StreamNode {
  const table: StateTableDesc = {
    tableId: -1, name: `${relName}.watermark`, columns: ['smallint', input.schema[w.column]], pk: [0], pkOrders: ['asc'], distKey: [],
  };
  return { kind: 'watermarkFilter', column: w.column, delayMicros: w.delayMicros, table, input, schema: input.schema, names: input.names };
}

function rejectUnsupported(ast: CreateTableStatement): void {
  if (ast.temporary) throw notSupported('CREATE TEMPORARY TABLE');
  if (ast.inherits?.length) throw notSupported('INHERITS');
  if (ast.columns.some((c) => c.kind === 'like table')) throw notSupported('CREATE TABLE ... LIKE');
  if (ast.columns.length === 0) throw notSupported('tables without columns');
  for (const c of ast.columns as CreateColumnDef[]) {
    if (c.collate) throw notSupported('COLLATE');
    for (const k of c.constraints ?? []) {
      if (k.type === 'primary key' || k.type === 'null' || k.type === 'not null') continue;
      throw notSupported(`column constraint ${k.type.toUpperCase()}`);
    }
  }
  for (const k of ast.constraints ?? []) {
    if (k.type !== 'primary key') throw notSupported(`table constraint ${k.type.toUpperCase()}`);
  }
}

/** User primary key column indices (column or table constraint); 42000 when given twice (PG: 42P16, not in our SqlState table). */
function primaryKey(ast: CreateTableStatement, defs: CreateColumnDef[], columns: ColumnCatalog[]): number[] {
  const fromColumns = defs.flatMap((d, i) => ((d.constraints ?? []).some((k) => k.type === 'primary key') ? [i] : []));
  const tablePks = (ast.constraints ?? []).filter((k) => k.type === 'primary key');
  if (fromColumns.length + tablePks.length > 1) {
    throw new DbError(SqlState.SyntaxErrorOrAccessRuleViolation, `multiple primary keys for table "${ast.name.name}" are not allowed`);
  }
  if (fromColumns.length === 1) return fromColumns;
  if (tablePks.length === 0) return [];
  const pk: number[] = [];
  for (const n of (tablePks[0] as { columns: { name: string }[] }).columns) {
    const i = columns.findIndex((c) => c.name === n.name);
    if (i < 0) throw new DbError(SqlState.UndefinedColumn, `column "${n.name}" named in key does not exist`);
    if (pk.includes(i)) throw new DbError(SqlState.DuplicateColumn, `column "${n.name}" appears twice in primary key constraint`);
    pk.push(i);
  }
  return pk;
}
