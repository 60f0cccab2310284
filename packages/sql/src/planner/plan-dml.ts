import {
  DbError, SqlState, canCast, notSupported, relationDisplayName,
  type BatchNode, type DataType, type Datum, type Expr, type TableCatalog,
} from '@tributary/common';
import type { DeleteStatement, Expr as AstExpr, InsertStatement, Name, QNameAliased, UpdateStatement } from 'pgsql-ast-parser';
import { ExprBinder } from '../binder/bind-expr.ts';
import { castExpr, coerce, inputRef, literal, type Bound } from '../binder/bound.ts';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { evalConst } from '../binder/const-eval.ts';
import { lookupRelation } from '../binder/relation.ts';
import { Scope } from '../binder/scope.ts';
import { planSelect } from './plan-select.ts';
import { checkNotNull } from './not-null.ts';

/**
 * An INSERT: constant VALUES rows evaluated here (`rows`, full table width, row id null), or for
 * INSERT ... SELECT a batch plan (`query`) yielding full table rows.
 */
export type PlannedInsert =
  | { table: TableCatalog; rows: Datum[][]; query?: undefined }
  | { table: TableCatalog; rows?: undefined; query: BatchNode };

export interface PlannedDelete {
  table: TableCatalog;
  /** Yields the full rows (every column, hidden ones too) matching WHERE. */
  scan: BatchNode;
}

export interface PlannedUpdate {
  table: TableCatalog;
  /** Yields the old full rows matching WHERE. */
  scan: BatchNode;
  /** One expression per table column over the old row. */
  newRow: Expr[];
  /** A primary key column is assigned: apply as delete(old) + insert(new), not as an update pair. */
  pkChanged: boolean;
}

/** The target relation of a DML statement; must be a table (42809 otherwise). */
function dmlTarget(catalog: CatalogReader, name: QNameAliased): TableCatalog {
  const { table } = lookupRelation(catalog, name);
  if (table.kind !== 'table') {
    throw new DbError(SqlState.WrongObjectType, `cannot change ${table.kind} "${table.name}"`);
  }
  return table;
}

/** Index of a writable (non-hidden) column; 42703 `column "x" of relation "t" does not exist`. */
function targetColumn(table: TableCatalog, name: string): number {
  const i = table.columns.findIndex((c) => c.name === name && !c.hidden);
  if (i < 0) throw new DbError(SqlState.UndefinedColumn, `column "${name}" of relation "${table.name}" does not exist`);
  return i;
}

/** `b` as the type of column `col` under assignment rules; 42804 when no assignment cast exists. */
function assign(table: TableCatalog, col: number, b: Bound): Expr {
  const c = table.columns[col];
  if (b.unknown || b.expr.type === c.type) return coerce(b, c.type, 'assignment');
  if (!canCast(b.expr.type, c.type, 'assignment')) {
    throw new DbError(
      SqlState.DatatypeMismatch,
      `column "${c.name}" is of type ${c.type} but expression is of type ${b.expr.type}`,
      { hint: 'You will need to rewrite or cast the expression.' },
    );
  }
  return castExpr(b.expr, c.type);
}

function targetColumns(table: TableCatalog, columns: Name[] | null | undefined): number[] {
  if (!columns) return table.columns.flatMap((c, i) => (c.hidden ? [] : [i]));
  const out: number[] = [];
  for (const n of columns) {
    const i = targetColumn(table, n.name);
    if (out.includes(i)) throw new DbError(SqlState.DuplicateColumn, `column "${n.name}" specified more than once`);
    out.push(i);
  }
  return out;
}

/** `INSERT INTO t [(cols)] VALUES ... | SELECT ...`. Missing columns are NULL. */
export function planInsert(ast: InsertStatement, catalog: CatalogReader): PlannedInsert {
  if (ast.returning) throw notSupported('INSERT ... RETURNING');
  if (ast.onConflict) throw notSupported('INSERT ... ON CONFLICT');
  const table = dmlTarget(catalog, ast.into);
  const targets = targetColumns(table, ast.columns);
  const source = ast.insert;
  if (source.type !== 'values') return planInsertSelect(ast, table, targets, catalog);
  const binder = new ExprBinder({ scope: Scope.empty(), clause: 'VALUES' });
  const rows = source.values.map((values) => {
    checkArity(values.length, targets.length, Boolean(ast.columns));
    const row: Datum[] = table.columns.map(() => null);
    values.forEach((v, k) => {
      if (v.type !== 'default') row[targets[k]] = evalConst(assign(table, targets[k], binder.bind(v)));
    });
    checkNotNull(table, row);
    return row;
  });
  return { table, rows };
}

function checkArity(values: number, targets: number, explicitColumns: boolean): void {
  if (values > targets) throw new DbError(SqlState.SyntaxError, 'INSERT has more expressions than target columns');
  if (values < targets && explicitColumns) {
    throw new DbError(SqlState.SyntaxError, 'INSERT has more target columns than expressions');
  }
}

function planInsertSelect(ast: InsertStatement, table: TableCatalog, targets: number[], catalog: CatalogReader): PlannedInsert {
  const { plan, fields } = planSelect(ast.insert, catalog);
  checkArity(fields.length, targets.length, Boolean(ast.columns));
  const exprs: Expr[] = table.columns.map((c) => literal(c.type, null));
  fields.forEach((f, k) => {
    exprs[targets[k]] = assign(table, targets[k], { expr: inputRef(k, f.type) });
  });
  const query: BatchNode = { kind: 'project', schema: table.columns.map((c) => c.type), exprs, input: plan };
  return { table, query };
}

/** Scan of all table columns, filtered by `where` (bound over the table, alias allowed). */
function scanWhere(table: TableCatalog, name: QNameAliased, where: AstExpr | null | undefined): { scan: BatchNode; scope: Scope } {
  const scope = Scope.ofRelation(table, name.alias);
  const schema: DataType[] = table.columns.map((c) => c.type);
  let scan: BatchNode = { kind: 'scan', schema, table: table.storage, tableName: relationDisplayName(table), columns: schema.map((_, i) => i) };
  if (where) {
    const predicate = new ExprBinder({ scope, clause: 'WHERE' }).bindCondition(where, 'WHERE');
    scan = { kind: 'filter', schema, predicate, input: scan };
  }
  return { scan, scope };
}

/** `DELETE FROM t [WHERE ...]`. */
export function planDelete(ast: DeleteStatement, catalog: CatalogReader): PlannedDelete {
  if (ast.returning) throw notSupported('DELETE ... RETURNING');
  const table = dmlTarget(catalog, ast.from);
  return { table, scan: scanWhere(table, ast.from, ast.where).scan };
}

/** `UPDATE t SET c = e, ... [WHERE ...]`; assigning a pk column sets `pkChanged`. */
export function planUpdate(ast: UpdateStatement, catalog: CatalogReader): PlannedUpdate {
  if (ast.returning) throw notSupported('UPDATE ... RETURNING');
  if (ast.from) throw notSupported('UPDATE ... FROM');
  const table = dmlTarget(catalog, ast.table);
  const { scan, scope } = scanWhere(table, ast.table, ast.where);
  const binder = new ExprBinder({ scope, clause: 'UPDATE' });
  const newRow: Expr[] = table.columns.map((c, i) => inputRef(i, c.type));
  const assigned = new Set<number>();
  for (const set of ast.sets) {
    const i = targetColumn(table, set.column.name);
    if (assigned.has(i)) throw new DbError(SqlState.SyntaxError, `multiple assignments to same column "${set.column.name}"`);
    assigned.add(i);
    newRow[i] = set.value.type === 'default' ? literal(table.columns[i].type, null) : assign(table, i, binder.bind(set.value));
  }
  const pkChanged = table.storage.pk.some((k) => assigned.has(k));
  return { table, scan, newRow, pkChanged };
}
