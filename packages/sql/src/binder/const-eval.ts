import { DbError, SqlState, evalExprOnRow, type Datum, type Expr } from '@tributary/common';
import { literalDatum } from './bound.ts';

/** Evaluates an expression without input columns (INSERT values, LIMIT) to one datum. */
export function evalConst(expr: Expr): Datum {
  if (expr.kind === 'literal') return literalDatum(expr);
  if (expr.kind === 'input') throw new DbError(SqlState.InternalError, 'constant expression references a column');
  return evalExprOnRow(expr, []);
}
