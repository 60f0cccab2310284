import { DbError, SqlState, notSupported, type DataType, type Expr } from '@tributary/common';
import type { Expr as AstExpr, OrderByStatement, SelectFromStatement, SelectStatement } from 'pgsql-ast-parser';
import { bindSelect, type BoundOrderItem, type BoundSelect } from './bind-select.ts';
import { castExpr, coerce, typed } from './bound.ts';
import { ExprBinder, commonType } from './bind-expr.ts';
import { Scope } from './scope.ts';
import type { CatalogReader } from './catalog-reader.ts';
import { CteScope } from './cte-scope.ts';
import { fromTables, type BoundTable } from './relation.ts';

/**
 * `a UNION [ALL] b ...`: inputs with the same number of columns, each cast to the column types
 * the branches resolve to. `all: false` removes duplicates (UNION ALL + DISTINCT). An ORDER BY /
 * LIMIT written after the last branch applies to the whole union (output positions or names).
 */
export interface BoundUnion {
  kind: 'union';
  all: boolean;
  inputs: BoundQuery[];
  names: string[];
  types: DataType[];
  orderBy: BoundOrderItem[];
  limit: number | null;
  offset: number;
}

/**
 * Group top-N, bound from exactly this pattern:
 * `SELECT cols FROM (SELECT ..., row_number() OVER (PARTITION BY p ORDER BY o) AS rn FROM ...) s
 *  WHERE rn <= n`. `input` is the inner query without its row_number item, whose `orderBy` lists
 * the PARTITION BY expressions (the first `partitionCount`) then the window's ORDER BY.
 */
export interface BoundGroupTopN {
  kind: 'groupTopN';
  input: BoundSelect;
  partitionCount: number;
  limit: number;
  /** Per output column: an index into `input.items`, or -1 for row_number(). */
  output: number[];
  /**
   * The outer WHERE's other conjuncts, over the subquery's columns (row_number() included at its
   * position); `innerIndex` maps each such column to an index into `input.items`, or -1.
   */
  filter: Expr | null;
  innerIndex: number[];
  names: string[];
  types: DataType[];
}

/**
 * `VALUES (...), (...)`: constant rows; each column takes the common type of its values (text for
 * unknown literals), named column1, column2, ... as in PostgreSQL.
 */
export interface BoundValues {
  kind: 'values';
  rows: Expr[][];
  names: string[];
  types: DataType[];
}

export type BoundQuery = BoundSelect | BoundUnion | BoundGroupTopN | BoundValues;

export function isSimpleSelect(q: BoundQuery): q is BoundSelect {
  return !('kind' in q);
}

/** Output types of a bound query. */
export function queryTypes(q: BoundQuery): DataType[] {
  return isSimpleSelect(q) ? q.items.map((e) => e.type) : q.types;
}

/** The table leaves a query reads, all branches included. */
export function queryTables(q: BoundQuery): BoundTable[] {
  if (isSimpleSelect(q)) return [...fromTables(q.from), ...q.subqueries.flatMap((s) => queryTables(s.query))];
  if (q.kind === 'groupTopN') return queryTables(q.input);
  if (q.kind === 'values') return [];
  return q.inputs.flatMap(queryTables);
}

/** Binds a query: a SELECT, a UNION [ALL] of queries, or the group top-N pattern. */
export function bindQuery(select: SelectStatement, catalog: CatalogReader): BoundQuery {
  if (select.type === 'union' || select.type === 'union all') return bindUnion(select, catalog);
  if (select.type === 'values') return bindValues(select);
  if (select.type === 'with') {
    const body = select.in;
    if (body.type !== 'select' && body.type !== 'union' && body.type !== 'union all' && body.type !== 'values' && body.type !== 'with') {
      throw notSupported(`WITH ... ${body.type.toUpperCase()}`);
    }
    return bindQuery(body, CteScope.of(catalog, select));
  }
  if (select.type === 'with recursive') throw notSupported('WITH RECURSIVE');
  if (select.type === 'select' && isGroupTopNPattern(select)) return bindGroupTopN(select, catalog);
  return bindSelect(select, catalog);
}

/** FROM is one subquery with a `row_number() OVER (...)` item, and WHERE bounds that item. */
function isGroupTopNPattern(select: SelectFromStatement): boolean {
  const from = select.from;
  if (from?.length !== 1 || from[0].type !== 'statement' || from[0].statement.type !== 'select') return false;
  const rn = (from[0].statement.columns ?? []).find((c) => c.expr.type === 'call' && c.expr.function.name.toLowerCase() === 'row_number' && c.expr.over);
  if (!rn || !select.where) return false;
  const name = rn.alias?.name ?? 'row_number';
  return conjuncts(select.where).some((p) => p.type === 'binary' && p.left.type === 'ref' && p.left.name === name);
}

type ValuesAst = Extract<SelectStatement, { type: 'values' }>;

function bindValues(ast: ValuesAst): BoundValues {
  const width = ast.values[0]?.length ?? 0;
  if (ast.values.some((r) => r.length !== width)) throw new DbError(SqlState.SyntaxError, 'VALUES lists must all be the same length');
  const binder = new ExprBinder({ scope: Scope.empty(), clause: 'VALUES' });
  const bound = ast.values.map((r) => r.map((e) => binder.bind(e)));
  const types = Array.from({ length: width }, (_, c) => commonType(bound.map((r) => r[c]), 'VALUES'));
  const rows = bound.map((r) => r.map((b, c) => coerce(b, types[c], 'implicit')));
  return { kind: 'values', rows, names: types.map((_, c) => `column${c + 1}`), types };
}

type UnionAst = Extract<SelectStatement, { type: 'union' | 'union all' }>;

function bindUnion(ast: UnionAst, catalog: CatalogReader): BoundUnion {
  // The parser hangs a trailing ORDER BY / LIMIT on the last branch; it belongs to the union.
  const { tail, stripped } = takeTail(ast);
  const all = stripped.type === 'union all';
  const branches = [stripped.left, stripped.right].map((b) => bindQuery(b, catalog));
  // Flatten same-kind chains: (a UNION ALL b) UNION ALL c has three inputs.
  const inputs = branches.flatMap((b) => (!isSimpleSelect(b) && b.kind === 'union' && b.all === all && b.orderBy.length === 0 && b.limit === null ? b.inputs : [b]));
  const width = queryTypes(inputs[0]).length;
  for (const i of inputs) {
    if (queryTypes(i).length !== width) {
      throw new DbError(SqlState.SyntaxError, 'each UNION query must have the same number of columns');
    }
  }
  const types = queryTypes(inputs[0]).map((_, c) => commonType(inputs.map((i) => typed({ kind: 'literal', value: null, type: queryTypes(i)[c] })), 'UNION'));
  const cast = inputs.map((i) => castQuery(i, types));
  const names = inputs[0].names;
  const orderBy = (tail.orderBy ?? []).map((o) => unionOrderItem(o, names));
  const limit = tail.limit?.limit ? constInt(tail.limit.limit, 'LIMIT') : null;
  const offset = tail.limit?.offset ? constInt(tail.limit.offset, 'OFFSET') : 0;
  return { kind: 'union', all, inputs: cast, names, types, orderBy, limit, offset };
}

/** Removes the ORDER BY / LIMIT of the rightmost SELECT of a union tree. */
function takeTail(ast: UnionAst): { tail: Pick<SelectFromStatement, 'orderBy' | 'limit'>; stripped: UnionAst } {
  const right = ast.right;
  if (right.type === 'select') {
    const { orderBy, limit, ...rest } = right;
    return { tail: { orderBy, limit }, stripped: { ...ast, right: rest as SelectFromStatement } };
  }
  if (right.type === 'union' || right.type === 'union all') {
    const inner = takeTail(right);
    return { tail: inner.tail, stripped: { ...ast, right: inner.stripped } };
  }
  return { tail: {}, stripped: ast };
}

function unionOrderItem(o: OrderByStatement, names: string[]): BoundOrderItem {
  const order = o.order === 'DESC' ? 'desc' : 'asc';
  const nullsFirst = o.nulls ? o.nulls === 'FIRST' : order === 'desc';
  let index = -1;
  if (o.by.type === 'integer') index = o.by.value - 1;
  else if (o.by.type === 'ref' && !o.by.table) index = names.indexOf(o.by.name);
  if (index < 0 || index >= names.length) {
    throw notSupported('ORDER BY on a UNION other than by output column name or position');
  }
  return { index, order, nullsFirst };
}

function constInt(ast: AstExpr, what: string): number {
  if (ast.type !== 'integer' || ast.value < 0) throw notSupported(`${what} other than a non-negative integer constant here`);
  return ast.value;
}

/** The query with its output cast to `types`. */
function castQuery(q: BoundQuery, types: DataType[]): BoundQuery {
  const t = queryTypes(q);
  if (t.every((x, i) => x === types[i])) return q;
  if (isSimpleSelect(q)) return { ...q, items: q.items.map((e, i) => castExpr(e, types[i])) };
  if (q.kind === 'union') return { ...q, types, inputs: q.inputs.map((i) => castQuery(i, types)) };
  if (q.kind === 'values') return { ...q, types, rows: q.rows.map((r) => r.map((e, c) => castExpr(e, types[c]))) };
  throw notSupported('UNION branches of different types over a row_number() subquery');
}

function bindGroupTopN(outer: SelectFromStatement, catalog: CatalogReader): BoundGroupTopN {
  const from = outer.from![0] as Extract<NonNullable<SelectFromStatement['from']>[number], { type: 'statement' }>;
  const inner = from.statement;
  const unsupported = (): DbError => notSupported('subqueries in FROM', 'Only the group top-N pattern SELECT ... FROM (SELECT ..., row_number() OVER (PARTITION BY ... ORDER BY ...) AS rn FROM ...) s WHERE rn <= n is supported.');
  if (inner.type !== 'select' || outer.groupBy || outer.having || outer.orderBy || outer.limit || outer.distinct) throw unsupported();
  if (inner.orderBy || inner.limit) throw unsupported();
  const cols = inner.columns ?? [];
  const rnPos = cols.findIndex((c) => c.expr.type === 'call' && c.expr.function.name.toLowerCase() === 'row_number' && c.expr.over);
  if (rnPos < 0) {
    const other = cols.find((c) => c.expr.type === 'call' && c.expr.over);
    if (other && other.expr.type === 'call') throw notSupported(`window function ${other.expr.function.name}()`);
    throw unsupported();
  }
  const rnCol = cols[rnPos];
  const call = rnCol.expr as Extract<AstExpr, { type: 'call' }>;
  const rnName = rnCol.alias?.name ?? 'row_number';
  const over = call.over!;
  if (!over.orderBy?.length) throw notSupported('row_number() without ORDER BY');
  const parts = outer.where ? conjuncts(outer.where) : [];
  const rnPart = parts.find((p) => isRnBound(p, rnName));
  const limit = rnLimit(rnPart, rnName);
  const innerAst: SelectFromStatement = {
    ...inner,
    columns: cols.filter((_, i) => i !== rnPos),
    orderBy: [...(over.partitionBy ?? []).map((by) => ({ by })), ...over.orderBy],
  };
  const input = bindSelect(innerAst, catalog);
  const innerNames = [...input.names.slice(0, rnPos), rnName, ...input.names.slice(rnPos)];
  const innerIndex = innerNames.map((_, i) => (i < rnPos ? i : i === rnPos ? -1 : i - 1));
  const output: number[] = [];
  const names: string[] = [];
  for (const c of outer.columns ?? []) {
    const e = c.expr;
    if (e.type !== 'ref' || (e.table && e.table.name !== from.alias)) throw unsupported();
    if (e.name === '*') {
      output.push(...innerIndex);
      names.push(...innerNames);
      continue;
    }
    const pos = innerNames.indexOf(e.name);
    if (pos < 0) throw new DbError(SqlState.UndefinedColumn, `column "${e.name}" does not exist`);
    output.push(innerIndex[pos]);
    names.push(c.alias?.name ?? e.name);
  }
  const types = output.map((i): DataType => (i < 0 ? 'bigint' : input.items[i].type));
  const scope = new Scope(innerNames.map((name, i) => ({
    name, type: innerIndex[i] < 0 ? 'bigint' : input.items[innerIndex[i]].type, hidden: false, qualifier: from.alias ?? null,
  })));
  let filter: Expr | null = null;
  for (const part of parts) {
    if (part === rnPart) continue;
    const cond = new ExprBinder({ scope, clause: 'WHERE' }).bindCondition(part, 'WHERE');
    filter = filter === null ? cond : { kind: 'call', func: 'and', args: [filter, cond], type: 'boolean' };
  }
  return { kind: 'groupTopN', input, partitionCount: over.partitionBy?.length ?? 0, limit, output, names, types, filter, innerIndex };
}

/** `a AND b AND ...` as its conjuncts. */
function conjuncts(e: AstExpr): AstExpr[] {
  return e.type === 'binary' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function isRnBound(e: AstExpr, rn: string): boolean {
  return e.type === 'binary' && ['<=', '<', '='].includes(e.op) && e.left.type === 'ref' && e.left.name === rn
    && !e.left.table && e.right.type === 'integer';
}

/** `rn <= n`, `rn < n` or `rn = 1` (n an integer constant) as a row limit. */
function rnLimit(where: AstExpr | null | undefined, rn: string): number {
  const bad = (): DbError => notSupported(`a filter on a row_number() subquery without a conjunct ${rn} <= n`);
  if (!where || where.type !== 'binary' || where.left.type !== 'ref' || where.left.name !== rn || where.right.type !== 'integer') throw bad();
  const n = where.right.value;
  switch (where.op) {
    case '<=': return Math.max(n, 0);
    case '<': return Math.max(n - 1, 0);
    case '=': if (n === 1) return 1; throw bad();
    default: throw bad();
  }
}

