import { DbError, SqlState, notSupported, type DataType, type Expr } from '@tributary/common';
import type { Expr as AstExpr, OrderByStatement, SelectFromStatement, SelectStatement } from 'pgsql-ast-parser';
import { AggregateContext, type BoundAggCall } from './aggregate.ts';
import { containsAgg, containsWindow } from './ast-walk.ts';
import { WindowContext, chainHooks, placeWindowRefs, rejectWindowHook, type BoundWindowCall } from './window.ts';
import { ExprBinder } from './bind-expr.ts';
import { coerce, exprEquals, finalize } from './bound.ts';
import type { CatalogReader } from './catalog-reader.ts';
import { evalConst } from './const-eval.ts';
import { outputName } from './output-name.ts';
import { bindFrom, type BoundFrom } from './relation.ts';
import { Scope } from './scope.ts';
import { SubqueryBinder, astConjoin, astConjuncts, type BoundSubqueryJoin } from './bind-subquery.ts';

export interface BoundAggregation {
  /** Bound over the input scope. The aggregation outputs these, then one column per call. */
  groupKeys: Expr[];
  aggCalls: BoundAggCall[];
}

export interface BoundOrderItem {
  /** Index into `items ++ orderExtras`. */
  index: number;
  order: 'asc' | 'desc';
  nullsFirst: boolean;
}

/**
 * A bound SELECT, the logical plan both planners lower:
 * `from -> where -> [agg -> having] -> [windows] -> items (+ orderExtras) -> [distinctOn] -> orderBy
 * -> limit/offset`.
 * `where`, `agg.groupKeys` and agg arguments are over the scope (all FROM items' columns (all of them, hidden
 * ones included); `having` and the window calls' expressions are over the aggregation output when
 * `agg` is set, else over the scope; `items` and `orderExtras` over that, then one column per window
 * call.
 */
export interface BoundSelect {
  from: BoundFrom | null;
  scope: Scope;
  /**
   * Subqueries unnested into joins with `from`, before `where` (scalar ones, whose values are the
   * scope columns after the FROM's) and after it (semi/anti joins).
   */
  subqueries: BoundSubqueryJoin[];
  where: Expr | null;
  agg: BoundAggregation | null;
  having: Expr | null;
  /** Window function calls (OVER), evaluated after the aggregation and HAVING. */
  windows: BoundWindowCall[];
  items: Expr[];
  names: string[];
  /** ORDER BY expressions that are not select items (evaluated, sorted on, then dropped). */
  orderExtras: Expr[];
  orderBy: BoundOrderItem[];
  /**
   * `DISTINCT ON (exprs)`: indices into `items ++ orderExtras`; the first row of each group of
   * equal values in `orderBy` order is kept (before LIMIT / OFFSET). Null without DISTINCT ON.
   */
  distinctOn: number[] | null;
  limit: number | null;
  offset: number;
}

interface SelectItem {
  ast: AstExpr;
  name: string;
}

/** Binds a SELECT over a catalog snapshot. See `BoundSelect`. */
export function bindSelect(select: SelectStatement, catalog: CatalogReader): BoundSelect {
  const s = asSimpleSelect(select);
  const { from, scope: fromScope } = bindFrom(catalog, s.from);
  let scope = fromScope;
  const subqueries = new SubqueryBinder(catalog, fromScope);
  const inputBinder = new ExprBinder({ scope, clause: 'WHERE', hook: subqueries.hook });
  const whereParts = s.where ? astConjuncts(s.where).filter((c) => !subqueries.tryConjunct(c)) : [];
  const where = whereParts.length > 0 ? inputBinder.bindCondition(astConjoin(whereParts), 'WHERE') : null;
  const selectItems = expandItems(s, scope);
  const hasAgg = Boolean(s.groupBy?.length) || Boolean(s.having) || selectItems.some((i) => containsAgg(i.ast))
    || Boolean(s.orderBy?.some((o) => containsAgg(o.by)));
  // SELECT DISTINCT is a grouping by every select item with no aggregate calls.
  const distinct = s.distinct === 'distinct';
  if (distinct && hasAgg) throw notSupported('SELECT DISTINCT with GROUP BY or aggregates');
  if (distinct && selectItems.some((i) => containsWindow(i.ast))) throw notSupported('SELECT DISTINCT with window functions');
  const isAgg = hasAgg || distinct;

  let agg: AggregateContext | null = null;
  const windows = new WindowContext((clause) => {
    const nested = rejectWindowHook(clause === 'args' ? 'window function calls cannot be nested' : `window functions are not allowed in ${clause}`);
    return agg ? agg.binder('window functions', nested) : new ExprBinder({ scope: fromScope, clause: 'window functions', hook: nested });
  });
  let post = inputBinder;
  if (isAgg) {
    const groupKeys = distinct
      ? selectItems.map((i) => finalize(new ExprBinder({ scope, clause: 'SELECT' }).bind(i.ast)))
      : (s.groupBy ?? []).map((g) => bindGroupKey(g, selectItems, scope));
    agg = new AggregateContext(scope, groupKeys);
    post = agg.binder('SELECT', windows.hook);
  } else {
    post = new ExprBinder({ scope, clause: 'SELECT', hook: chainHooks(windows.hook, subqueries.hook) });
  }
  let items = selectItems.map((i) => finalize(post.bind(i.ast)));
  // Scalar subquery values are extra scope columns after the FROM's (filled by their joins).
  if (subqueries.scalarColumns.length > 0) scope = new Scope([...fromScope.columns, ...subqueries.scalarColumns]);
  const having = s.having && agg ? agg.binder('HAVING').bindCondition(s.having, 'HAVING') : null;
  const orderPost = agg ? agg.binder('ORDER BY', windows.hook) : new ExprBinder({ scope, clause: 'ORDER BY', hook: windows.hook });
  let orderExtras: Expr[] = [];
  const orderBy = (s.orderBy ?? []).map((o) => bindOrderItem(o, selectItems, items, orderExtras, orderPost));
  const distinctOn = Array.isArray(s.distinct)
    ? bindDistinctOn(s.distinct, orderBy, (by) => bindOrderItem({ by }, selectItems, items, orderExtras, orderPost).index)
    : null;
  const { limit, offset } = bindLimit(s);
  if (windows.calls.length > 0) {
    const width = agg ? agg.groupKeys.length + agg.aggCalls.length : scope.columns.length;
    items = items.map((e) => placeWindowRefs(e, width));
    orderExtras = orderExtras.map((e) => placeWindowRefs(e, width));
  }
  return {
    from, scope, where, having, windows: windows.calls, items, orderExtras, orderBy, distinctOn, limit, offset, subqueries: subqueries.joins,
    agg: agg ? { groupKeys: agg.groupKeys, aggCalls: agg.aggCalls } : null,
    names: selectItems.map((i) => i.name),
  };
}

/** Output types of `items`. */
export function itemTypes(bound: BoundSelect): DataType[] {
  return bound.items.map((e) => e.type);
}

function asSimpleSelect(select: SelectStatement): SelectFromStatement {
  switch (select.type) {
    case 'select': break;
    case 'union':
    case 'union all': throw notSupported('UNION');
    case 'values': throw notSupported('VALUES as a query');
    default: throw notSupported('WITH queries');
  }
  if (select.for) throw notSupported(`SELECT ... FOR ${select.for.type.toUpperCase()}`);
  return select;
}

/** Select items with `*` / `t.*` expanded to the non-hidden columns. */
function expandItems(s: SelectFromStatement, scope: Scope): SelectItem[] {
  const out: SelectItem[] = [];
  for (const col of s.columns ?? []) {
    const e = col.expr;
    if (e.type === 'ref' && e.name === '*') {
      if (scope.columns.length === 0) throw new DbError(SqlState.SyntaxError, 'SELECT * with no tables specified is not valid');
      const q = e.table?.name;
      if (q !== undefined && !scope.columns.some((c) => c.qualifier === q)) {
        throw new DbError(SqlState.UndefinedTable, `missing FROM-clause entry for table "${q}"`);
      }
      for (const c of scope.columns) {
        if (c.hidden || (q === undefined && c.usingHidden) || (q !== undefined && c.qualifier !== q)) continue;
        out.push({ ast: { type: 'ref', name: c.name, ...(c.qualifier ? { table: { name: c.qualifier } } : {}) }, name: c.name });
      }
      continue;
    }
    out.push({ ast: e, name: col.alias?.name ?? outputName(e) });
  }
  return out;
}

/**
 * A GROUP BY item: an output position (`GROUP BY 1`), an input column, an output alias (only when
 * no input column has that name, as in PostgreSQL), or an expression over the input.
 */
function bindGroupKey(g: AstExpr, items: SelectItem[], scope: Scope): Expr {
  let ast = g;
  if (g.type === 'integer') {
    if (g.value < 1 || g.value > items.length) {
      throw new DbError(SqlState.InvalidColumnReference, `GROUP BY position ${g.value} is not in select list`);
    }
    ast = items[g.value - 1].ast;
  } else if (g.type === 'ref' && !g.table && g.name !== '*' && !scope.has(undefined, g.name)) {
    const aliased = items.find((i) => i.name === g.name);
    if (aliased) ast = aliased.ast;
  }
  if (containsAgg(ast)) throw new DbError(SqlState.GroupingError, 'aggregate functions are not allowed in GROUP BY');
  return finalize(new ExprBinder({ scope, clause: 'GROUP BY' }).bind(ast));
}

/**
 * `DISTINCT ON (exprs)` as column indices, checked against ORDER BY as PostgreSQL does: the ORDER
 * BY items before its first item outside the DISTINCT ON set must cover that set (42P10).
 */
function bindDistinctOn(exprs: AstExpr[], orderBy: BoundOrderItem[], bindIndex: (by: AstExpr) => number): number[] {
  const on = [...new Set(exprs.map(bindIndex))];
  let skipped = false;
  const covered = new Set<number>();
  for (const o of orderBy) {
    if (!on.includes(o.index)) {
      skipped = true;
    } else if (skipped) {
      throw distinctOnMismatch();
    } else {
      covered.add(o.index);
    }
  }
  if (skipped && covered.size < on.length) throw distinctOnMismatch();
  return on;
}

function distinctOnMismatch(): DbError {
  return new DbError(SqlState.InvalidColumnReference, 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions');
}

/** ORDER BY: output position, output name, or an expression (appended to `extras` unless it is an item). */
function bindOrderItem(
  o: OrderByStatement, items: SelectItem[], bound: Expr[], extras: Expr[], binder: ExprBinder,
): BoundOrderItem {
  const order = o.order === 'DESC' ? 'desc' : 'asc';
  const nullsFirst = o.nulls ? o.nulls === 'FIRST' : order === 'desc';
  const by = o.by;
  if (by.type === 'integer') {
    if (by.value < 1 || by.value > items.length) {
      throw new DbError(SqlState.InvalidColumnReference, `ORDER BY position ${by.value} is not in select list`);
    }
    return { index: by.value - 1, order, nullsFirst };
  }
  if (by.type === 'ref' && !by.table && by.name !== '*') {
    const matches = items.map((i, idx) => (i.name === by.name ? idx : -1)).filter((i) => i >= 0);
    if (matches.length > 1 && !matches.every((m) => exprEquals(bound[m], bound[matches[0]]))) {
      throw new DbError(SqlState.AmbiguousColumn, `ORDER BY "${by.name}" is ambiguous`);
    }
    if (matches.length > 0) return { index: matches[0], order, nullsFirst };
  }
  const expr = finalize(binder.bind(by));
  let index = bound.findIndex((e) => exprEquals(e, expr));
  if (index < 0) {
    const extra = extras.findIndex((e) => exprEquals(e, expr));
    index = bound.length + (extra >= 0 ? extra : extras.push(expr) - 1);
  }
  return { index, order, nullsFirst };
}

function bindLimit(s: SelectFromStatement): { limit: number | null; offset: number } {
  const limit = s.limit?.limit ? constCount(s.limit.limit, 'LIMIT') : null;
  const offset = s.limit?.offset ? constCount(s.limit.offset, 'OFFSET') ?? 0 : 0;
  return { limit, offset };
}

/** A LIMIT / OFFSET value: a constant bigint expression; NULL means none. */
function constCount(ast: AstExpr, what: string): number | null {
  const binder = new ExprBinder({ scope: Scope.empty(), clause: what });
  const b = binder.bind(ast);
  if (!b.unknown && b.expr.type !== 'bigint' && b.expr.type !== 'integer' && b.expr.type !== 'smallint') {
    throw new DbError(SqlState.DatatypeMismatch, `argument of ${what} must be type bigint, not type ${b.expr.type}`);
  }
  const v = evalConst(coerce(b, 'bigint', 'implicit'));
  if (v === null) return null;
  const n = Number(v as bigint);
  if (n < 0) throw new DbError(SqlState.DataException, `${what} must not be negative`);
  return n;
}
