import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExpr } from './build-expr.ts';
import { Expr, exprToString } from './expr.ts';
import { Decimal } from '../types/decimal.ts';
import type { Datum } from '../types/datum.ts';
import { DbError } from '../error/db-error.ts';

const int = 'integer' as const;
const a = Expr.input(0, int);
const b = Expr.input(1, int);

test('evaluates a chunk column-wise with strict NULL handling', () => {
  const e = Expr.call('+', [Expr.call('*', [a, Expr.literal(10, int)], int), b], int);
  const cols: Datum[][] = [[1, 2, null, 4], [5, null, 7, 8]];
  assert.deepEqual(buildExpr(e)(cols, 4), [15, null, null, 48]);
  assert.equal(exprToString(e), '+(*($0, 10::integer), $1)');
});

test('literals survive JSON (plan shipping) and are decoded once', () => {
  const e = Expr.call('+', [Expr.cast(a, 'numeric'), Expr.literal(Decimal.parse('0.50'), 'numeric')], 'numeric');
  const shipped = JSON.parse(JSON.stringify(e)) as Expr;
  const out = buildExpr(shipped)([[1, 2]], 2);
  assert.deepEqual(out.map(String), ['1.50', '2.50']);
  const big = Expr.literal(9007199254740993n, 'bigint');
  assert.deepEqual(buildExpr(JSON.parse(JSON.stringify(big)) as Expr)([], 2), [9007199254740993n, 9007199254740993n]);
});

test('CASE evaluates each branch only on its rows', () => {
  // CASE WHEN b <> 0 THEN a / b ELSE -1 END
  const e = Expr.call('case', [
    Expr.call('<>', [b, Expr.literal(0, int)], 'boolean'),
    Expr.call('/', [a, b], int),
    Expr.literal(-1, int),
  ], int);
  assert.deepEqual(buildExpr(e)([[10, 10, 10, null], [2, 0, null, 5]], 4), [5, -1, -1, null]);
  // No ELSE: NULL.
  const noElse = Expr.call('case', [Expr.call('>', [a, Expr.literal(5, int)], 'boolean'), a], int);
  assert.deepEqual(buildExpr(noElse)([[1, 9]], 2), [null, 9]);
});

test('AND/OR short-circuit per row; COALESCE evaluates later args lazily', () => {
  // b <> 0 AND a / b > 1
  const guard = Expr.call('and', [
    Expr.call('<>', [b, Expr.literal(0, int)], 'boolean'),
    Expr.call('>', [Expr.call('/', [a, b], int), Expr.literal(1, int)], 'boolean'),
  ], 'boolean');
  assert.deepEqual(buildExpr(guard)([[10, 10, 1, 5], [2, 0, 1, null]], 4), [true, false, false, null]);
  const either = Expr.call('or', [Expr.call('=', [b, Expr.literal(0, int)], 'boolean'), Expr.call('=', [Expr.call('/', [a, b], int), Expr.literal(5, int)], 'boolean')], 'boolean');
  assert.deepEqual(buildExpr(either)([[10, 10, 9], [2, 0, 2]], 3), [true, true, false]);
  const co = Expr.call('coalesce', [a, Expr.call('/', [Expr.literal(1, int), b], int)], int);
  assert.deepEqual(buildExpr(co)([[3, null], [0, 1]], 2), [3, 1]);
});

test('errors surface with SQLSTATE', () => {
  const e = Expr.call('/', [a, b], int);
  assert.throws(() => buildExpr(e)([[1], [0]], 1), (err: unknown) => err instanceof DbError && err.code === '22012');
  const c = Expr.cast(Expr.literal('abc', 'character varying'), 'integer');
  assert.throws(() => buildExpr(c)([], 1), (err: unknown) => err instanceof DbError && err.code === '22P02');
});
