import {
  DbError, SqlState, notSupported, resolveAgg, type DataType, type Expr, type WindowFuncKind,
} from '@tributary/common';
import type { Expr as AstExpr, ExprCall } from 'pgsql-ast-parser';
import type { ExprBinder } from './bind-expr.ts';
import { containsAgg } from './ast-walk.ts';
import { commonType } from './bind-expr.ts';
import { castExpr, coerce, finalize, inputRef, makeCall, typed, type Bound } from './bound.ts';

/** One window function call of a SELECT; expressions are over the window's input (see BoundSelect). */
export interface BoundWindowCall {
  /** The SQL function name, for messages. */
  name: string;
  kind: WindowFuncKind;
  args: Expr[];
  /** An aggregate's FILTER (WHERE ...). */
  filter: Expr | null;
  partitionBy: Expr[];
  orderBy: { expr: Expr; order: 'asc' | 'desc'; nullsFirst: boolean }[];
  returnType: DataType;
}

/**
 * Window results are bound as input refs from this index on (`WINDOW_REF_BASE + k` for call k)
 * while a SELECT is bound; `placeWindowRefs` moves them after the window input's columns.
 */
const WINDOW_REF_BASE = 1 << 30;

const RANKING: Record<string, { kind: WindowFuncKind; type: DataType }> = {
  row_number: { kind: 'row_number', type: 'bigint' },
  rank: { kind: 'rank', type: 'bigint' },
  dense_rank: { kind: 'dense_rank', type: 'bigint' },
  percent_rank: { kind: 'percent_rank', type: 'double precision' },
  cume_dist: { kind: 'cume_dist', type: 'double precision' },
};

const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg', 'bool_and', 'bool_or', 'every', 'string_agg']);

/** Whether `ast` is a window function call (a call with OVER). */
export function isWindowCall(ast: AstExpr): ast is ExprCall {
  return ast.type === 'call' && Boolean(ast.over);
}

/**
 * The window function calls of one SELECT. `hook` binds a call with OVER into a ref to its result
 * column; its arguments, PARTITION BY and ORDER BY are bound by `inputBinder`, which must reject
 * nested window calls (`rejectWindowHook`). Identical calls share one result column.
 */
export class WindowContext {
  readonly calls: BoundWindowCall[] = [];

  /** `inputBinder(clause)`: a binder over the window's input, rejecting window calls with a message naming `clause`. */
  constructor(private readonly inputBinder: (clause: 'args' | 'window definitions') => ExprBinder) {}

  readonly hook = (ast: AstExpr): Bound | undefined => (isWindowCall(ast) ? this.bindCall(ast) : undefined);

  private bindCall(ast: ExprCall): Bound {
    const name = ast.function.name.toLowerCase();
    if (ast.distinct === 'distinct') throw new DbError(SqlState.FeatureNotSupported, 'DISTINCT is not implemented for window functions');
    if (ast.orderBy?.length) throw new DbError(SqlState.FeatureNotSupported, 'aggregate ORDER BY is not implemented for window functions');
    if (ast.withinGroup) throw new DbError(SqlState.WrongObjectType, `OVER is not supported for ordered-set aggregate ${name}`);
    const binder = this.inputBinder('window definitions');
    const over = ast.over!;
    const partitionBy = (over.partitionBy ?? []).map((e) => binder.bindTyped(e));
    const orderBy = (over.orderBy ?? []).map((o) => {
      const order = o.order === 'DESC' ? 'desc' as const : 'asc' as const;
      return { expr: binder.bindTyped(o.by), order, nullsFirst: o.nulls ? o.nulls === 'FIRST' : order === 'desc' };
    });
    const window = { partitionBy, orderBy };
    const argBinder = this.inputBinder('args');
    const args = ast.args.filter((a) => !(a.type === 'ref' && a.name === '*')).map((a) => argBinder.bind(a));
    const arity = (...allowed: number[]): void => {
      if (!allowed.includes(args.length)) {
        const types = args.map((a) => (a.unknown ? 'unknown' : a.expr.type)).join(', ');
        throw new DbError(SqlState.UndefinedFunction, `function ${name}(${types}) does not exist`);
      }
    };
    const add = (kind: WindowFuncKind, callArgs: Expr[], returnType: DataType): Bound =>
      this.add({ name, kind, args: callArgs, filter: null, returnType, ...window });
    const isAggregate = AGGREGATES.has(name);
    if (ast.filter && !isAggregate) throw new DbError(SqlState.FeatureNotSupported, 'FILTER is not implemented for non-aggregate window functions');
    const int = (b: Bound): Expr => coerce(b, 'integer', 'implicit');
    const ranking = RANKING[name];
    if (ranking) {
      arity(0);
      return add(ranking.kind, [], ranking.type);
    }
    switch (name) {
      case 'ntile':
        arity(1);
        return add('ntile', [int(args[0])], 'integer');
      case 'lag':
      case 'lead': {
        arity(1, 2, 3);
        const type = commonType([args[0], ...args.slice(2)], name);
        const value = coerce(args[0], type, 'implicit');
        const rest = args.length > 1 ? [int(args[1]), ...(args.length > 2 ? [coerce(args[2], type, 'implicit')] : [])] : [];
        return add(name, [value, ...rest], type);
      }
      case 'first_value':
      case 'last_value': {
        arity(1);
        const value = finalize(args[0]);
        return add(name, [value], value.type);
      }
      case 'nth_value': {
        arity(2);
        const value = finalize(args[0]);
        return add('nth_value', [value, int(args[1])], value.type);
      }
    }
    if (isAggregate) {
      if (ast.filter && containsAgg(ast.filter)) throw new DbError(SqlState.GroupingError, 'aggregate functions are not allowed in FILTER');
      const filter = ast.filter ? argBinder.bindCondition(ast.filter, 'FILTER') : null;
      return this.bindAggregate(ast, name, args, { ...window, filter });
    }
    if (ast.function.schema && ast.function.schema !== 'pg_catalog') {
      throw new DbError(SqlState.UndefinedFunction, `function ${ast.function.schema}.${name} does not exist`);
    }
    makeCall(name, args); // 42883 when no such function exists at all
    throw new DbError(SqlState.WrongObjectType, `OVER specified, but ${name} is not a window function nor an aggregate function`);
  }

  /** count / sum / min / max / bool_and / bool_or / string_agg over a window; avg = sum / count as in aggregate.ts. */
  private bindAggregate(ast: ExprCall, name: string, args: Bound[], window: Pick<BoundWindowCall, 'partitionBy' | 'orderBy' | 'filter'>): Bound {
    const add = (kind: WindowFuncKind, callArgs: Expr[], returnType: DataType): Bound =>
      this.add({ name, kind, args: callArgs, returnType, ...window });
    if (name === 'count' && args.length === 0) return add('count_star', [], 'bigint');
    if (name === 'string_agg') {
      const text = (b: Bound): Expr => {
        if (b.unknown || b.expr.type === 'character varying') return coerce(b, 'character varying', 'implicit');
        throw new DbError(SqlState.UndefinedFunction, `function string_agg(${b.expr.type}, text) does not exist`);
      };
      if (args.length !== 2) throw new DbError(SqlState.UndefinedFunction, `function string_agg with ${args.length} arguments does not exist`);
      return add('string_agg', [text(args[0]), text(args[1])], 'character varying');
    }
    if (args.length !== 1) {
      throw new DbError(SqlState.UndefinedFunction, `function ${name} with ${ast.args.length} arguments does not exist`);
    }
    const arg = finalize(args[0]);
    if (name === 'avg') {
      const numeric = arg.type === 'smallint' || arg.type === 'integer' || arg.type === 'bigint' || arg.type === 'numeric';
      const float = arg.type === 'real' || arg.type === 'double precision';
      if (!numeric && !float) throw new DbError(SqlState.UndefinedFunction, `function avg(${arg.type}) does not exist`);
      const target: DataType = float ? 'double precision' : 'numeric';
      const input = float ? castExpr(arg, target) : arg;
      const sum = add('sum', [input], resolveAgg('sum', input.type).returnType);
      const count = add('count', [input], 'bigint');
      return makeCall('/', [typed(castExpr(sum.expr, target)), typed(castExpr(count.expr, target))]);
    }
    const kind = (name === 'every' ? 'bool_and' : name) as 'count' | 'sum' | 'min' | 'max' | 'bool_and' | 'bool_or';
    return add(kind, [arg], resolveAgg(kind, arg.type).returnType);
  }

  private add(call: BoundWindowCall): Bound {
    const same = JSON.stringify({ ...call, name: '' });
    let i = this.calls.findIndex((c) => JSON.stringify({ ...c, name: '' }) === same);
    if (i < 0) i = this.calls.push(call) - 1;
    return typed(inputRef(WINDOW_REF_BASE + i, call.returnType));
  }
}

/** A hook for binders inside window calls and where window functions are not allowed. */
export function rejectWindowHook(message: string): (ast: AstExpr) => Bound | undefined {
  return (ast) => {
    if (isWindowCall(ast)) throw new DbError(SqlState.WindowingError, message);
    return undefined;
  };
}

/** `e` with the window result refs of `WindowContext` moved to `inputWidth + k`. */
export function placeWindowRefs(e: Expr, inputWidth: number): Expr {
  if (e.kind === 'input') return e.index >= WINDOW_REF_BASE ? { ...e, index: inputWidth + e.index - WINDOW_REF_BASE } : e;
  if (e.kind === 'call') return { ...e, args: e.args.map((a) => placeWindowRefs(a, inputWidth)) } as Expr;
  return e;
}

/** Both hooks in turn: the first result wins. */
export function chainHooks(
  ...hooks: (((ast: AstExpr) => Bound | undefined) | undefined)[]
): (ast: AstExpr) => Bound | undefined {
  return (ast) => {
    for (const h of hooks) {
      const r = h?.(ast);
      if (r) return r;
    }
    return undefined;
  };
}
