import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackfillTracker } from './backfill-tracker.ts';

test('backfill tracker: sums its actors, never 100% before done, ignores other actors', () => {
  const t = new BackfillTracker();
  t.begin(7, 'create materialized view m as select * from t', [1, 2]);
  assert.deepEqual(t.list(), [{ id: 7, statement: 'create materialized view m as select * from t', progress: '0.00%' }]);
  assert.equal(t.isDone(7), false);
  t.apply([{ actorId: 1, consumedRows: 10, totalRows: 100, done: false }, { actorId: 9, consumedRows: 5, totalRows: 5, done: true }]);
  t.apply([{ actorId: 2, consumedRows: 30, totalRows: 100, done: false }]);
  assert.equal(t.list()[0].progress, '20.00%');
  // The table grew past the estimate: capped below 100% until done.
  t.apply([{ actorId: 1, consumedRows: 120, totalRows: 100, done: false }, { actorId: 2, consumedRows: 100, totalRows: 100, done: true }]);
  assert.equal(t.list()[0].progress, '99.99%');
  assert.equal(t.isDone(7), false);
  t.apply([{ actorId: 1, consumedRows: 130, totalRows: 100, done: true }]);
  assert.equal(t.isDone(7), true);
  assert.equal(t.list()[0].progress, '100.00%');
  t.end(7);
  assert.deepEqual(t.list(), []);
  assert.equal(t.isDone(7), true, 'an untracked job has nothing to wait for');
  t.begin(8, 'create table x', []);
  assert.equal(t.isDone(8), true, 'a job without table scans is done at once');
});
