import { DbError, SqlState, notSupported, type Expr } from '@tributary/common';
import type { Expr as AstExpr, SelectFromStatement, SelectStatement } from 'pgsql-ast-parser';
import { containsAgg, containsWindow } from './ast-walk.ts';
import { ExprBinder } from './bind-expr.ts';
import { bindQuery, isSimpleSelect, queryTypes, type BoundQuery } from './bind-query.ts';
import { bindSelect } from './bind-select.ts';
import { inputRef, makeCall, typed, type Bound } from './bound.ts';
import type { CatalogReader } from './catalog-reader.ts';
import { bindFrom } from './relation.ts';
import { Scope, type ScopeColumn } from './scope.ts';

/**
 * A subquery of a SELECT, unnested into a join of the SELECT's FROM (the outer side) with the
 * subquery (RisingWave's subquery unnesting):
 *
 * - `semi`: `EXISTS (...)` / `x IN (...)`, a left semi join on `outerKeys = innerKeys` and `condition`.
 * - `anti`: `NOT EXISTS (...)`, a left anti join.
 * - `notIn`: `x NOT IN (...)` (uncorrelated, one key): an anti join on `x = y`, then kept only when
 *   the subquery is empty, or x is not NULL and no y is NULL (PostgreSQL's NULL semantics).
 * - `scalar`: an uncorrelated single-row aggregate, cross joined; its value is the outer scope
 *   column `scopeIndex`.
 *
 * Correlation is supported for EXISTS / IN over a plain SELECT (no aggregation, DISTINCT, LIMIT):
 * the WHERE conjuncts that read outer columns leave the subquery and become the join's keys
 * (`inner = outer` equalities) and `condition` (the rest).
 */
export interface BoundSubqueryJoin {
  kind: 'semi' | 'anti' | 'notIn' | 'scalar';
  query: BoundQuery;
  /** Over the outer scope. */
  outerKeys: Expr[];
  /** Over the subquery's output columns. */
  innerKeys: Expr[];
  /** Over the outer scope, then (from `innerOffset` on) the subquery's output columns. */
  condition: Expr | null;
  innerOffset: number;
  /** `scalar`: the outer scope column holding the value. */
  scopeIndex?: number;
}

const SUBQUERY_TYPES = new Set(['select', 'union', 'union all', 'values', 'with', 'with recursive']);

export function isSubqueryAst(ast: AstExpr): boolean {
  return SUBQUERY_TYPES.has(ast.type);
}

/** Binds the subqueries of one SELECT over its FROM scope `outer`. */
export class SubqueryBinder {
  readonly joins: BoundSubqueryJoin[] = [];
  /** Outer scope columns appended for scalar subquery values. */
  readonly scalarColumns: ScopeColumn[] = [];

  constructor(private readonly catalog: CatalogReader, private readonly outer: Scope) {}

  /**
   * A WHERE conjunct `[NOT] EXISTS (...)`, `x [NOT] IN (...)` or `NOT (x IN (...))`: records its
   * join and returns true; false for any other conjunct.
   */
  tryConjunct(ast: AstExpr): boolean {
    let negated = false;
    let e = ast;
    if (e.type === 'unary' && e.op === 'NOT') {
      negated = true;
      e = e.operand;
    }
    if (e.type === 'call' && e.function.name.toLowerCase() === 'exists' && !e.function.schema && e.args.length === 1 && isSubqueryAst(e.args[0])) {
      this.bindSemi(e.args[0] as SelectStatement, negated, null);
      return true;
    }
    if (e.type === 'binary' && (e.op === 'IN' || e.op === 'NOT IN') && isSubqueryAst(e.right)) {
      this.bindSemi(e.right as SelectStatement, negated !== (e.op === 'NOT IN'), e.left);
      return true;
    }
    return false;
  }

  /** ExprBinder hook: scalar subqueries; EXISTS / IN anywhere but a WHERE conjunct are 0A000. */
  readonly hook = (ast: AstExpr): Bound | undefined => {
    if (isSubqueryAst(ast)) return this.bindScalar(ast as SelectStatement);
    if ((ast.type === 'call' && ast.function.name.toLowerCase() === 'exists')
      || (ast.type === 'binary' && (ast.op === 'IN' || ast.op === 'NOT IN') && isSubqueryAst(ast.right))) {
      throw notSupported('EXISTS / IN subqueries other than as AND-ed conditions of WHERE');
    }
    return undefined;
  };

  private bindScalar(ast: SelectStatement): Bound {
    if (this.refersOuter(ast)) throw notSupported('correlated scalar subqueries');
    const query = bindQuery(ast, this.catalog);
    const types = queryTypes(query);
    if (types.length !== 1) throw new DbError(SqlState.SyntaxError, 'subquery must return only one column');
    if (!isSingleRowAgg(query)) {
      throw notSupported('scalar subqueries other than a single-row aggregate', 'Write the subquery as SELECT agg(...) FROM ... without GROUP BY, HAVING or LIMIT.');
    }
    const scopeIndex = this.outer.columns.length + this.scalarColumns.length;
    this.scalarColumns.push({ name: `$scalar${this.scalarColumns.length}`, type: types[0], hidden: true, qualifier: null });
    this.joins.push({ kind: 'scalar', query, outerKeys: [], innerKeys: [], condition: null, innerOffset: 0, scopeIndex });
    return typed(inputRef(scopeIndex, types[0]));
  }

  /** EXISTS (inLeft null) or `inLeft IN (sub)`, negated for NOT. */
  private bindSemi(sub: SelectStatement, negated: boolean, inLeft: AstExpr | null): void {
    const kind = !negated ? 'semi' : inLeft ? 'notIn' : 'anti';
    if (sub.type === 'select' && isPlain(sub, inLeft !== null)) {
      this.bindPlainSemi(sub, kind, inLeft);
      return;
    }
    if (this.refersOuter(sub)) {
      throw notSupported('correlated subqueries with GROUP BY, aggregates, DISTINCT, LIMIT or UNION');
    }
    const query = bindQuery(sub, this.catalog);
    const join: BoundSubqueryJoin = { kind, query, outerKeys: [], innerKeys: [], condition: null, innerOffset: this.outer.columns.length };
    if (inLeft) {
      const types = queryTypes(query);
      if (types.length !== 1) throw new DbError(SqlState.SyntaxError, 'subquery has too many columns');
      const [x, y] = this.keyPair(inLeft, typed(inputRef(0, types[0])));
      join.outerKeys.push(x);
      join.innerKeys.push(y);
    }
    this.joins.push(join);
  }

  /** A plain SELECT subquery, possibly correlated through its WHERE conjuncts. */
  private bindPlainSemi(sub: SelectFromStatement, kind: BoundSubqueryJoin['kind'], inLeft: AstExpr | null): void {
    const inner = bindFrom(this.catalog, sub.from).scope;
    const local: AstExpr[] = [];
    const correlated: AstExpr[] = [];
    for (const c of sub.where ? astConjuncts(sub.where) : []) (this.refersOuterFrom(c, inner) ? correlated : local).push(c);
    if (kind === 'notIn' && correlated.length > 0) {
      throw notSupported('correlated NOT IN subqueries', 'Write NOT EXISTS (SELECT ... WHERE ... AND inner = outer) when neither side can be NULL.');
    }
    const items: Expr[] = [];
    const outerKeys: Expr[] = [];
    if (inLeft) {
      const col = sub.columns![0].expr;
      if (this.refersOuterFrom(col, inner)) throw notSupported('correlated select lists of IN subqueries');
      const [x, y] = this.keyPair(inLeft, new ExprBinder({ scope: inner, clause: 'SELECT' }).bind(col));
      outerKeys.push(x);
      items.push(y);
    }
    const w = this.outer.columns.length;
    const combined = new CorrelatedScope(this.outer, inner);
    const residual: Expr[] = [];
    for (const c of correlated) {
      const e = new ExprBinder({ scope: combined, clause: 'WHERE' }).bindCondition(c, 'WHERE');
      const pair = splitEquality(e, w);
      if (pair) {
        outerKeys.push(pair.outer);
        items.push(shiftInputs(pair.inner, w));
      } else {
        residual.push(e);
      }
    }
    const keyCount = items.length;
    const itemOf = new Map<number, number>();
    const condition = residual.length === 0 ? null : remapInputs(andAll(residual), (i) => {
      if (i < w) return i;
      let pos = itemOf.get(i);
      if (pos === undefined) {
        pos = items.push(inputRef(i - w, inner.columns[i - w].type)) - 1;
        itemOf.set(i, pos);
      }
      return w + pos;
    });
    const stripped: SelectFromStatement = {
      ...sub, where: local.length > 0 ? astConjoin(local) : undefined, columns: [{ expr: { type: 'integer', value: 1 } }], orderBy: undefined,
    };
    const query = { ...bindSelect(stripped, this.catalog), items, names: items.map((_, i) => `subquery_${i}`) };
    const innerKeys = items.slice(0, keyCount).map((e, i) => inputRef(i, e.type));
    this.joins.push({ kind, query, outerKeys, innerKeys, condition, innerOffset: w });
  }

  /** `x = y` coerced like PostgreSQL: the outer and inner key expressions, of one type. */
  private keyPair(outerAst: AstExpr, inner: Bound): [Expr, Expr] {
    const x = new ExprBinder({ scope: this.outer, clause: 'WHERE' }).bind(outerAst);
    const eq = makeCall('=', [x, inner]).expr as Expr & { kind: 'call' };
    const [a, b] = eq.args;
    if (a.type !== b.type) throw notSupported(`IN subqueries comparing ${a.type} with ${b.type}`, 'Cast one side.');
    return [a, b];
  }

  /** Whether a subquery statement reads a column of the outer scope. */
  private refersOuter(sub: SelectStatement): boolean {
    if (sub.type === 'union' || sub.type === 'union all') return this.refersOuter(sub.left) || this.refersOuter(sub.right);
    if (sub.type !== 'select') return false;
    let inner: Scope;
    try {
      inner = bindFrom(this.catalog, sub.from).scope;
    } catch {
      return false; // binding the subquery reports the problem
    }
    return this.refersOuterFrom(sub, inner);
  }

  /** Whether any column reference in `ast` names an outer column and no `inner` column. */
  private refersOuterFrom(ast: unknown, inner: Scope): boolean {
    return astRefs(ast).some((r) => !innerHas(inner, r.table, r.name) && this.outer.has(r.table, r.name));
  }
}

/** A SELECT the correlated path takes: no aggregation, grouping, DISTINCT or LIMIT. */
function isPlain(sub: SelectFromStatement, isIn: boolean): boolean {
  if (!sub.from?.length || sub.groupBy?.length || sub.having || sub.distinct || sub.limit) return false;
  if (sub.columns?.some((c) => containsWindow(c.expr))) return false;
  if (isIn && (sub.columns?.length !== 1 || containsAgg(sub.columns[0].expr) || isSubqueryAst(sub.columns[0].expr))) return false;
  if (!isIn && sub.columns?.some((c) => containsAgg(c.expr))) return false;
  return true;
}

function isSingleRowAgg(q: BoundQuery): boolean {
  return isSimpleSelect(q) && q.agg !== null && q.agg.groupKeys.length === 0 && q.having === null
    && q.limit === null && q.offset === 0 && q.from !== null;
}

/** Outer scope then inner scope; a name the inner scope has resolves there (SQL's innermost rule). */
class CorrelatedScope extends Scope {
  constructor(private readonly outerScope: Scope, private readonly innerScope: Scope) {
    super([...outerScope.columns, ...innerScope.columns]);
  }

  override resolve(qualifier: string | undefined, name: string): number {
    if (innerHas(this.innerScope, qualifier, name)) return this.outerScope.columns.length + this.innerScope.resolve(qualifier, name);
    return this.outerScope.resolve(qualifier, name);
  }
}

function innerHas(inner: Scope, qualifier: string | undefined, name: string): boolean {
  return qualifier === undefined ? inner.has(undefined, name) : inner.columns.some((c) => c.qualifier === qualifier);
}

/** Every column reference anywhere in an AST (nested subqueries included). */
function astRefs(ast: unknown, out: { table?: string; name: string }[] = []): { table?: string; name: string }[] {
  if (Array.isArray(ast)) {
    for (const a of ast) astRefs(a, out);
  } else if (ast && typeof ast === 'object') {
    const node = ast as Record<string, unknown>;
    if (node.type === 'ref' && typeof node.name === 'string' && node.name !== '*') {
      out.push({ table: (node.table as { name: string } | undefined)?.name, name: node.name });
      return out;
    }
    for (const v of Object.values(node)) astRefs(v, out);
  }
  return out;
}

/** `inner = outer` (either order) over the combined scope: the two sides, or null. */
function splitEquality(e: Expr, w: number): { outer: Expr; inner: Expr } | null {
  if (e.kind !== 'call' || e.func !== '=' || e.args.length !== 2 || e.args[0].type !== e.args[1].type) return null;
  const side = (x: Expr): 'outer' | 'inner' | null => {
    const ins = inputsOf(x);
    if (ins.length === 0) return null;
    if (ins.every((i) => i < w)) return 'outer';
    return ins.every((i) => i >= w) ? 'inner' : null;
  };
  const [a, b] = e.args;
  if (side(a) === 'outer' && side(b) === 'inner') return { outer: a, inner: b };
  if (side(a) === 'inner' && side(b) === 'outer') return { outer: b, inner: a };
  return null;
}

function inputsOf(e: Expr, out: number[] = []): number[] {
  if (e.kind === 'input') out.push(e.index);
  else if (e.kind === 'call') for (const a of e.args) inputsOf(a, out);
  return out;
}

function remapInputs(e: Expr, map: (i: number) => number): Expr {
  if (e.kind === 'input') return { ...e, index: map(e.index) };
  if (e.kind === 'call') return { ...e, args: e.args.map((a) => remapInputs(a, map)) } as Expr;
  return e;
}

function shiftInputs(e: Expr, by: number): Expr {
  return remapInputs(e, (i) => i - by);
}

function andAll(list: Expr[]): Expr {
  return list.reduce((a, b) => ({ kind: 'call', func: 'and', args: [a, b], type: 'boolean' }));
}

/** `a AND b AND ...` as its conjuncts. */
export function astConjuncts(e: AstExpr): AstExpr[] {
  return e.type === 'binary' && e.op === 'AND' ? [...astConjuncts(e.left), ...astConjuncts(e.right)] : [e];
}

export function astConjoin(list: AstExpr[]): AstExpr {
  return list.reduce((a, b) => ({ type: 'binary', op: 'AND', left: a, right: b }));
}
