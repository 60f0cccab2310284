import { DbError, type ColumnEvaluator, type Datum } from '@tributary/common';

/**
 * Expression evaluation inside a streaming job (RisingWave's non-strict mode). In a batch query a
 * data error (division by zero, overflow, a bad cast: any `DbError`) fails the statement, as in
 * PostgreSQL; in a view it must not: the row that caused it was already acknowledged, and failing
 * the actor would trigger a recovery that replays the same row forever. So the expression yields
 * NULL for that row (a filter then drops it, a join condition does not match) and the error is
 * reported. Evaluation is a pure function of the row, so the row's later delete or update yields
 * the same NULL and the view's state stays consistent.
 *
 * A chunk is evaluated whole first; only a chunk that fails is evaluated again row by row. Errors
 * that are not `DbError`s (bugs) still propagate and fail the actor.
 */
export function nonStrictExpr(ev: ColumnEvaluator, report: (err: DbError) => void): ColumnEvaluator {
  return (columns: Datum[][], n: number): Datum[] => {
    try {
      return ev(columns, n);
    } catch (err) {
      if (!(err instanceof DbError)) throw err;
      return evalRowByRow(ev, columns, n, report);
    }
  };
}

function evalRowByRow(ev: ColumnEvaluator, columns: Datum[][], n: number, report: (err: DbError) => void): Datum[] {
  const out: Datum[] = new Array(n);
  for (let i = 0; i < n; i++) {
    try {
      out[i] = ev(columns.map((c) => [c[i]]), 1)[0];
    } catch (err) {
      if (!(err instanceof DbError)) throw err;
      out[i] = null;
      report(err);
    }
  }
  return out;
}
