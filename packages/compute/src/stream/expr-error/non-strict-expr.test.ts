import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExpr, DbError, Expr, SqlState } from '@tributary/common';
import { FilterExecutor } from '../executor/filter.ts';
import { ProjectExecutor } from '../executor/project.ts';
import { collect, prettyLines, sourceOf } from '../executor/test-utils.ts';
import { nonStrictExpr } from './non-strict-expr.ts';
import { StreamErrorLog } from './stream-error-log.ts';

const a = Expr.input(0, 'bigint');
const b = Expr.input(1, 'bigint');
const quotient = buildExpr(Expr.call('/', [a, b], 'bigint'));

test('a data error makes only the failing rows NULL, and each is reported', () => {
  const errors: DbError[] = [];
  const ev = nonStrictExpr(quotient, (e) => errors.push(e));
  const out = ev([[10n, 5n, 7n, null], [2n, 0n, 1n, 0n]], 4);
  assert.deepEqual(out, [5n, null, 7n, null]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, SqlState.DivisionByZero);
  assert.throws(() => quotient([[5n], [0n]], 1), /division by zero/, 'the strict evaluator still throws (batch queries)');
});

test('errors that are not data errors still fail', () => {
  const bug = nonStrictExpr(() => { throw new TypeError('bug'); }, () => {});
  assert.throws(() => bug([[1n]], 1), TypeError);
});

test('a view over a bad row stays consistent: its update and delete meet the same NULL', async () => {
  const errors: DbError[] = [];
  const ev = nonStrictExpr(quotient, (e) => errors.push(e));
  const src = sourceOf(['bigint', 'bigint'], [' I I\n + 10 2\n + 5 0', 1n, ' I I\n U- 5 0\n U+ 5 5\n - 10 2', 2n]);
  assert.deepEqual(await collect(new ProjectExecutor(src, ['bigint'], [ev])), [
    ...prettyLines(' I\n + 5\n + .'), 'barrier 1', ...prettyLines(' I\n U- .\n U+ 1\n - 5'), 'barrier 2',
  ]);
  const gt1 = nonStrictExpr(buildExpr(Expr.call('>', [Expr.call('/', [a, b], 'bigint'), Expr.literal(1n, 'bigint')], 'boolean')), (e) => errors.push(e));
  const src2 = sourceOf(['bigint', 'bigint'], [' I I\n + 10 2\n + 5 0\n - 5 0', 1n]);
  assert.deepEqual(await collect(new FilterExecutor(src2, gt1)), [...prettyLines(' I I\n + 10 2'), 'barrier 1']);
  assert.equal(errors.length, 4, 'the insert and the retraction of the bad row, in each executor');
});

test('the error log counts per job, fragment, executor and SQLSTATE, and says when it changed', () => {
  let now = 1000;
  const log = new StreamErrorLog(() => now);
  assert.equal(log.takeIfChanged(), null);
  const div = new DbError(SqlState.DivisionByZero, 'division by zero');
  log.record({ jobId: 7, fragmentId: 3 }, 'Project', div);
  now = 2000;
  log.record({ jobId: 7, fragmentId: 3 }, 'Project', div);
  log.record({ jobId: 7, fragmentId: 3 }, 'Filter', new DbError(SqlState.NumericValueOutOfRange, 'bigint out of range'));
  const got = log.takeIfChanged()!;
  assert.deepEqual(got.map((r) => [r.executor, r.code, r.count, r.firstAt, r.lastAt]), [
    ['Project', SqlState.DivisionByZero, 2, 1000, 2000],
    ['Filter', SqlState.NumericValueOutOfRange, 1, 2000, 2000],
  ]);
  assert.equal(log.takeIfChanged(), null, 'nothing new');
});
