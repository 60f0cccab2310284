import { DbError, SqlState, notSupported, resolveAgg, type AggCall, type DataType, type Expr } from '@tributary/common';
import type { Expr as AstExpr, ExprCall } from 'pgsql-ast-parser';
import { ExprBinder } from './bind-expr.ts';
import { castExpr, coerce, exprEquals, finalize, inputRef, makeCall, typed, type Bound } from './bound.ts';
import { containsAgg, containsWindow, isAggCall } from './ast-walk.ts';
import { isSubqueryAst } from './bind-subquery.ts';
import type { Scope } from './scope.ts';

/** One aggregate call of a query; `arg` is bound over the aggregation's input scope. */
export interface BoundAggCall {
  kind: AggCall['kind'];
  arg: Expr | null;
  returnType: DataType;
  distinct: boolean;
  /** FILTER (WHERE ...) over the input scope. */
  filter: Expr | null;
  /** string_agg's delimiter. */
  delimiter: Expr | null;
  /** string_agg's ORDER BY. */
  orderBy: { expr: Expr; order: 'asc' | 'desc'; nullsFirst: boolean }[];
}

/** Everything of a call but its kind, arg and type (empty for a plain call). */
type CallExtras = Omit<BoundAggCall, 'kind' | 'arg' | 'returnType'>;

const PLAIN: CallExtras = { distinct: false, filter: null, delimiter: null, orderBy: [] };

const SUPPORTED = ['count', 'sum', 'min', 'max', 'avg', 'bool_and', 'bool_or', 'every', 'string_agg'];

const LITERALS = new Set(['integer', 'numeric', 'string', 'boolean', 'null']);

/**
 * The aggregation of one SELECT. Expressions evaluated after it (select list, HAVING, ORDER BY)
 * are bound over its output: group key columns first, then one column per aggregate call.
 *
 * 1. An aggregate call binds its argument over the input and becomes a ref to its output column
 *    (identical calls share one column; `avg(x)` becomes `sum(x) / count(x)` with PG's types).
 * 2. A sub-expression without aggregates that equals a group key becomes a ref to that key.
 * 3. Any other column reference is a grouping error (42803).
 */
export class AggregateContext {
  readonly aggCalls: BoundAggCall[] = [];
  private readonly inputBinder: ExprBinder;
  private readonly argBinder: ExprBinder;

  constructor(
    readonly scope: Scope,
    readonly groupKeys: Expr[],
  ) {
    this.inputBinder = new ExprBinder({ scope, clause: 'GROUP BY' });
    this.argBinder = new ExprBinder({
      scope,
      clause: 'aggregate function calls',
      hook: (ast) => {
        if (isAggCall(ast)) throw new DbError(SqlState.GroupingError, 'aggregate function calls cannot be nested');
        if (ast.type === 'call' && ast.over) throw new DbError(SqlState.GroupingError, 'aggregate function calls cannot contain window function calls');
        return undefined;
      },
    });
  }

  /** Output types: group keys then aggregate calls. */
  get outputTypes(): DataType[] {
    return [...this.groupKeys.map((g) => g.type), ...this.aggCalls.map((a) => a.returnType)];
  }

  /** A binder for expressions over the aggregation's output; `first` is tried before the aggregation's hook. */
  binder(clause: string, first?: (ast: AstExpr) => Bound | undefined): ExprBinder {
    return new ExprBinder({
      scope: this.scope,
      clause,
      hook: (ast) => {
        const hooked = first?.(ast);
        if (hooked) return hooked;
        if (isSubqueryAst(ast) || (ast.type === 'call' && ast.function.name.toLowerCase() === 'exists')) {
          throw notSupported(`subqueries in ${clause} of an aggregating query`);
        }
        return this.hook(ast);
      },
      onColumn: (index) => {
        throw new DbError(
          SqlState.GroupingError,
          `column "${this.scope.qualifiedName(index)}" must appear in the GROUP BY clause or be used in an aggregate function`,
        );
      },
    });
  }

  private hook(ast: AstExpr): Bound | undefined {
    if (isAggCall(ast)) return this.bindAggCall(ast as ExprCall);
    if (containsWindow(ast)) return undefined; // bound by the window hook, or rejected where not allowed
    if (LITERALS.has(ast.type) || containsAgg(ast) || this.groupKeys.length === 0) return undefined;
    const bound = finalize(this.inputBinder.bind(ast));
    const key = this.groupKeys.findIndex((g) => exprEquals(g, bound));
    return key >= 0 ? typed(inputRef(key, bound.type)) : undefined;
  }

  private bindAggCall(ast: ExprCall): Bound {
    const name = ast.function.name.toLowerCase();
    if (ast.withinGroup) throw notSupported('WITHIN GROUP');
    if (!SUPPORTED.includes(name)) throw notSupported(`aggregate function ${name}`);
    const extras: CallExtras = {
      distinct: ast.distinct === 'distinct',
      filter: ast.filter ? this.argBinder.bindCondition(ast.filter, 'FILTER') : null,
      delimiter: null,
      orderBy: [],
    };
    const isStar = ast.args.length === 1 && ast.args[0].type === 'ref' && ast.args[0].name === '*';
    if (name === 'count' && (isStar || ast.args.length === 0)) {
      if (extras.distinct) throw new DbError(SqlState.SyntaxError, 'syntax error: count(DISTINCT *)');
      return this.ref(this.add('count_star', null, 'bigint', extras));
    }
    if (name === 'string_agg') return this.bindStringAgg(ast, extras);
    if (ast.args.length !== 1) {
      throw new DbError(SqlState.UndefinedFunction, `function ${name} with ${ast.args.length} arguments does not exist`);
    }
    const arg = finalize(this.argBinder.bind(ast.args[0]));
    // DISTINCT does not change min/max/bool_and/bool_or, nor does ORDER BY any of these.
    if (name !== 'count' && name !== 'sum' && name !== 'avg') extras.distinct = false;
    if (name === 'avg') return this.bindAvg(arg, extras);
    const kind = (name === 'every' ? 'bool_and' : name) as 'count' | 'sum' | 'min' | 'max' | 'bool_and' | 'bool_or';
    return this.ref(this.add(kind, arg, resolveAgg(kind, arg.type).returnType, extras));
  }

  /** string_agg(text, delimiter [ORDER BY ...]); DISTINCT is 0A000. */
  private bindStringAgg(ast: ExprCall, extras: CallExtras): Bound {
    if (ast.args.length !== 2) {
      throw new DbError(SqlState.UndefinedFunction, `function string_agg with ${ast.args.length} arguments does not exist`);
    }
    if (extras.distinct) throw notSupported('string_agg(DISTINCT ...)');
    const text = (b: Bound): Expr => {
      if (b.unknown || b.expr.type === 'character varying') return coerce(b, 'character varying', 'implicit');
      throw new DbError(SqlState.UndefinedFunction, `function string_agg(${b.expr.type}, text) does not exist`);
    };
    const arg = text(this.argBinder.bind(ast.args[0]));
    extras.delimiter = text(this.argBinder.bind(ast.args[1]));
    extras.orderBy = (ast.orderBy ?? []).map((o) => {
      const order = o.order === 'DESC' ? 'desc' as const : 'asc' as const;
      return { expr: finalize(this.argBinder.bind(o.by)), order, nullsFirst: o.nulls ? o.nulls === 'FIRST' : order === 'desc' };
    });
    return this.ref(this.add('string_agg', arg, 'character varying', extras));
  }

  /** avg(x) = sum(x)::T / count(x)::T, T = numeric for exact types, double precision for floats. */
  private bindAvg(arg: Expr, extras: CallExtras): Bound {
    let target: DataType;
    let input = arg;
    if (arg.type === 'real' || arg.type === 'double precision') {
      target = 'double precision';
      input = castExpr(arg, target);
    } else if (arg.type === 'smallint' || arg.type === 'integer' || arg.type === 'bigint' || arg.type === 'numeric') {
      target = 'numeric';
    } else if (arg.type === 'interval') {
      throw notSupported('avg(interval)');
    } else {
      throw new DbError(SqlState.UndefinedFunction, `function avg(${arg.type}) does not exist`);
    }
    const sum = this.ref(this.add('sum', input, resolveAgg('sum', input.type).returnType, extras));
    const count = this.ref(this.add('count', input, 'bigint', extras));
    return makeCall('/', [typed(castExpr(sum.expr, target)), typed(castExpr(count.expr, target))]);
  }

  private add(kind: AggCall['kind'], arg: Expr | null, returnType: DataType, extras: CallExtras = PLAIN): number {
    const call: BoundAggCall = { kind, arg, returnType, ...extras };
    const same = JSON.stringify(call);
    let i = this.aggCalls.findIndex((a) => JSON.stringify(a) === same);
    if (i < 0) i = this.aggCalls.push(call) - 1;
    return this.groupKeys.length + i;
  }

  private ref(index: number): Bound {
    const type = index < this.groupKeys.length ? this.groupKeys[index].type : this.aggCalls[index - this.groupKeys.length].returnType;
    return typed(inputRef(index, type));
  }
}
