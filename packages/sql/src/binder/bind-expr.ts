import {
  DbError, SqlState, canCast, notSupported, parseDatum, type DataType, type Expr,
} from '@tributary/common';
import type { Expr as AstExpr, ExprBinary, ExprCall, ExprCase, ExprUnary } from 'pgsql-ast-parser';
import { bindDataType } from './bind-type.ts';
import { coerce, finalize, inputRef, literal, makeCall, typed, unknownLiteral, type Bound } from './bound.ts';
import { isAggCall } from './ast-walk.ts';
import { DISTINCT_FROM_OPERATORS } from '../parser/index.ts';
import { inferringParams } from './param-types.ts';
import type { Scope } from './scope.ts';

export interface ExprBindOptions {
  scope: Scope;
  /** Clause being bound, for messages: 'WHERE', 'VALUES', 'GROUP BY', ... */
  clause: string;
  /** Tried first on every node; a result short-circuits the default binding (aggregates, GROUP BY matches). */
  hook?: (ast: AstExpr) => Bound | undefined;
  /** Maps a resolved input column to its bound form; default: an input ref. */
  onColumn?: (index: number) => Bound;
}

const COMPARISON: Record<string, string> = { '=': '=', '!=': '<>', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** SQL keywords that are session functions (`current_user` is `current_user()`). */
const SESSION_KEYWORDS: Record<string, string> = {
  current_user: 'current_user', current_role: 'current_user', user: 'current_user', session_user: 'session_user',
  current_schema: 'current_schema', current_catalog: 'current_database',
  current_timestamp: 'now',
};
/** SQL keywords that are the statement's start time in the session zone, cast (PostgreSQL's). */
const CLOCK_KEYWORDS: Record<string, DataType> = {
  current_date: 'date', localtimestamp: 'timestamp without time zone', localtime: 'time without time zone',
};
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||']);

/**
 * Binds pgsql-ast-parser expressions to the `Expr` IR over a scope, PostgreSQL style: untyped
 * literals take their type from the context, implicit casts become `cast` calls, BETWEEN and IN
 * are expanded. Unsupported constructs throw 0A000 naming the construct.
 */
export class ExprBinder {
  constructor(readonly options: ExprBindOptions) {}

  /** Binds `ast`; its result type is decided (unknown literals become text). */
  bindTyped(ast: AstExpr): Expr {
    return finalize(this.bind(ast));
  }

  /** Binds a condition (WHERE, HAVING, ON): must be boolean. Throws 42804 otherwise. */
  bindCondition(ast: AstExpr, clause: string): Expr {
    return requireBoolean(this.bind(ast), `argument of ${clause}`);
  }

  bind(ast: AstExpr): Bound {
    const hooked = this.options.hook?.(ast);
    if (hooked) return hooked;
    switch (ast.type) {
      case 'ref': return this.bindRef(ast);
      case 'integer': return typed(integerLiteral(ast.value));
      case 'numeric': return typed(literal('numeric', parseDatum('numeric', numberText(ast.value))));
      case 'string': return unknownLiteral(ast.value);
      case 'boolean': return typed(literal('boolean', ast.value));
      case 'null': return unknownLiteral(null);
      case 'cast': return this.bindCast(ast.operand, bindDataType(ast.to));
      case 'unary': return this.bindUnary(ast);
      case 'binary': return this.bindBinary(ast);
      case 'ternary': {
        const between = ast.op === 'BETWEEN';
        const lo = makeCall(between ? '>=' : '<', [this.bind(ast.value), this.bind(ast.lo)]);
        const hi = makeCall(between ? '<=' : '>', [this.bind(ast.value), this.bind(ast.hi)]);
        return makeCall(between ? 'and' : 'or', [lo, hi]);
      }
      case 'call': return this.bindCall(ast);
      case 'select':
      case 'union':
      case 'union all':
      case 'values':
      case 'with':
      case 'with recursive':
      case 'array select':
        throw notSupported(`subqueries in ${this.options.clause}`);
      case 'case': return this.bindCase(ast);
      case 'substring': {
        const args = [this.bind(ast.value), ast.from ? this.bind(ast.from) : typed(literal('integer', 1))];
        if (ast.for) args.push(this.bind(ast.for));
        return makeCall('substr', args);
      }
      case 'extract':
        // EXTRACT(field FROM x) is PG's extract('field', x).
        return makeCall('extract', [unknownLiteral(ast.field.name), this.bind(ast.from)]);
      case 'keyword': {
        const clock = CLOCK_KEYWORDS[ast.keyword];
        if (clock) return typed(coerce(makeCall('now', []), clock, 'explicit'));
        const fn = SESSION_KEYWORDS[ast.keyword];
        if (!fn) throw notSupported(ast.keyword.toUpperCase());
        return makeCall(fn, []);
      }
      case 'parameter': return parameterPlaceholder(ast.name);
      case 'default': throw new DbError(SqlState.SyntaxError, 'DEFAULT is not allowed in this context');
      default: throw notSupported(`expression type "${ast.type}"`);
    }
  }

  private bindRef(ast: AstExpr & { type: 'ref' }): Bound {
    if (ast.name === '*') throw new DbError(SqlState.SyntaxError, `"*" is not allowed in ${this.options.clause}`);
    const index = this.options.scope.resolve(ast.table?.name, ast.name);
    if (this.options.onColumn) return this.options.onColumn(index);
    return typed(inputRef(index, this.options.scope.columns[index].type));
  }

  /** `x::t` / `CAST(x AS t)`; a string literal is parsed directly as `t`. */
  bindCast(operand: AstExpr, to: DataType): Bound {
    return typed(coerce(this.bind(operand), to, 'explicit'));
  }

  private bindUnary(ast: ExprUnary): Bound {
    const arg = this.bind(ast.operand);
    switch (ast.op) {
      case '+': return arg;
      case '-': return makeCall('neg', [arg]);
      case 'NOT': return typed(notExpr(requireBoolean(arg, 'argument of NOT')));
      case 'IS NULL': return makeCall('is_null', [arg]);
      case 'IS NOT NULL': return makeCall('is_not_null', [arg]);
      case 'IS TRUE':
      case 'IS NOT TRUE':
      case 'IS FALSE':
      case 'IS NOT FALSE': {
        const b = requireBoolean(arg, `argument of ${ast.op}`);
        return makeCall(ast.op.toLowerCase().replaceAll(' ', '_'), [typed(b)]);
      }
      default: throw notSupported(`operator ${ast.op}`);
    }
  }

  private bindBinary(ast: ExprBinary): Bound {
    const op = ast.op;
    if (op === 'AND' || op === 'OR') {
      const args = [this.bind(ast.left), this.bind(ast.right)].map((b) => requireBoolean(b, `argument of ${op}`));
      return typed({ kind: 'call', func: op.toLowerCase(), args, type: 'boolean' } as Expr);
    }
    if (op === 'IN' || op === 'NOT IN') return this.bindIn(ast.left, ast.right, op === 'NOT IN');
    if (op === 'LIKE' || op === 'NOT LIKE' || op === 'ILIKE' || op === 'NOT ILIKE') {
      return makeCall(op.toLowerCase().replace(' ', '_'), [this.bind(ast.left), this.bind(ast.right)]);
    }
    if (op === '~' || op === '!~') {
      return makeCall(op === '~' ? 'regex_match' : 'regex_not_match', [this.bind(ast.left), this.bind(ast.right)]);
    }
    const distinctFrom = DISTINCT_FROM_OPERATORS[op];
    if (distinctFrom) return makeCall(distinctFrom, [this.bind(ast.left), this.bind(ast.right)]);
    const comparison = COMPARISON[op];
    if (comparison) return makeCall(comparison, [this.bind(ast.left), this.bind(ast.right)]);
    if (ARITHMETIC.has(op)) return makeCall(op, [this.bind(ast.left), this.bind(ast.right)]);
    throw notSupported(`operator ${op}`);
  }

  /** `x IN (a, b)` -> `x = a OR x = b`; NOT IN -> `x <> a AND x <> b`. */
  private bindIn(left: AstExpr, right: AstExpr, negated: boolean): Bound {
    if (right.type !== 'list') throw notSupported(`IN (subquery) in ${this.options.clause}`);
    const value = this.bind(left);
    const terms = right.expressions.map((e) => makeCall(negated ? '<>' : '=', [value, this.bind(e)]).expr);
    let acc = terms[0];
    for (let i = 1; i < terms.length; i++) {
      acc = { kind: 'call', func: negated ? 'and' : 'or', args: [acc, terms[i]], type: 'boolean' };
    }
    return typed(acc);
  }

  /**
   * `CASE [x] WHEN c THEN v ... [ELSE e] END` -> call `case(c1, v1, ..., [e])`; the values get
   * PostgreSQL's common type (42804 when they have none).
   */
  private bindCase(ast: ExprCase): Bound {
    const conds = ast.whens.map((w) => requireBoolean(
      ast.value ? makeCall('=', [this.bind(ast.value), this.bind(w.when)]) : this.bind(w.when), 'argument of CASE/WHEN',
    ));
    const values = [...ast.whens.map((w) => this.bind(w.value)), ...(ast.else ? [this.bind(ast.else)] : [])];
    const type = commonType(values, 'CASE');
    const args: Expr[] = [];
    conds.forEach((c, i) => args.push(c, coerce(values[i], type, 'implicit')));
    if (ast.else) args.push(coerce(values[values.length - 1], type, 'implicit'));
    return typed({ kind: 'call', func: 'case', args, type });
  }

  private bindCall(ast: ExprCall): Bound {
    const name = ast.function.name.toLowerCase();
    if (ast.over) throw new DbError(SqlState.WindowingError, `window functions are not allowed in ${this.options.clause}`);
    if (isAggCall(ast)) {
      throw new DbError(SqlState.GroupingError, `aggregate functions are not allowed in ${this.options.clause}`);
    }
    if (ast.function.schema && ast.function.schema !== 'pg_catalog') {
      throw new DbError(SqlState.UndefinedFunction, `function ${ast.function.schema}.${name} does not exist`);
    }
    if (name === 'exists') throw notSupported(`EXISTS (subquery) in ${this.options.clause}`);
    // POSITION(substring IN string): the parser reads the argument as an IN expression.
    const [only] = ast.args;
    if (name === 'position' && ast.args.length === 1 && only.type === 'binary' && only.op === 'IN') {
      return makeCall('strpos', [this.bind(only.right), this.bind(only.left)]);
    }
    if (name === 'concat' || name === 'concat_ws') return makeCall(name, ast.args.map((a) => outputText(this.bind(a))));
    return makeCall(name, ast.args.map((a) => this.bind(a)));
  }
}

/** An argument of a VARIADIC "any" text function: text as is, anything else through its output function. */
function outputText(b: Bound): Bound {
  if (b.unknown || b.expr.type === 'character varying') return b;
  return makeCall('text_output', [b]);
}

/** `$n` while a statement is prepared: an untyped NULL whose inferred type is recorded; else 42P02. */
function parameterPlaceholder(name: string): Bound {
  const index = Number(name.slice(1));
  if (!inferringParams()) throw new DbError(SqlState.UndefinedParameter, `there is no parameter ${name}`);
  return { expr: literal('character varying', null), unknown: { text: null, param: index } };
}

/** `text` of a parsed numeric literal (the parser hands us a JS number). */
function numberText(value: number): string {
  return String(value);
}

/** Integer literal typed like PostgreSQL: integer, else bigint, else numeric. */
function integerLiteral(value: number): Expr {
  if (value >= -2147483648 && value <= 2147483647) return literal('integer', value);
  if (Math.abs(value) < 2 ** 63) return literal('bigint', BigInt(value));
  return literal('numeric', parseDatum('numeric', BigInt(value).toString()));
}

function notExpr(e: Expr): Expr {
  return { kind: 'call', func: 'not', args: [e], type: 'boolean' };
}

/** `b` as a boolean (an unknown literal is parsed as one); 42804 `<what> must be type boolean, not type x`. */
export function requireBoolean(b: Bound, what: string): Expr {
  if (b.unknown) return coerce(b, 'boolean', 'implicit');
  if (b.expr.type !== 'boolean') {
    throw new DbError(SqlState.DatatypeMismatch, `${what} must be type boolean, not type ${b.expr.type}`);
  }
  return b.expr;
}

/**
 * The type a set of branches (CASE, COALESCE-like) resolves to: all unknown -> text; else the
 * first typed branch's type, switching to a later type when only that direction casts implicitly.
 */
export function commonType(values: Bound[], what: string): DataType {
  let type: DataType | null = null;
  for (const v of values) {
    if (v.unknown) continue;
    const t = v.expr.type;
    if (type === null || t === type) {
      type = t;
    } else if (canCast(type, t, 'implicit') && !canCast(t, type, 'implicit')) {
      type = t;
    } else if (!canCast(t, type, 'implicit')) {
      throw new DbError(SqlState.DatatypeMismatch, `${what} types ${type} and ${t} cannot be matched`);
    }
  }
  return type ?? 'character varying';
}
