import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { MaterializeExecutor } from './materialize.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
const DESC: StateTableDesc = {
  tableId: 1, name: 't', columns: ['bigint', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [0],
};

test('overwrite: insert of an existing pk becomes an update, deletes use the stored row', async () => {
  const store = new MemoryStateStore();
  const src = sourceOf(['bigint', 'bigint'], [
    1n,
    ' I I\n + 1 10\n + 2 20\n + 1 11',
    2n,
    ' I I\n - 2 99\n - 3 30\n U- 1 0\n U+ 1 12\n U- 9 0\n U+ 9 90',
    3n,
  ]);
  const mat = new MaterializeExecutor(src, new StateTable(DESC, store, ALL_VNODES), 'overwrite');
  assert.deepEqual(await collect(mat), [
    'barrier 1',
    ...prettyLines(' I I\n + 1 10\n + 2 20\n U- 1 10\n U+ 1 11'),
    'barrier 2',
    ...prettyLines(' I I\n - 2 20\n U- 1 11\n U+ 1 12\n + 9 90'),
    'barrier 3',
  ]);
  const t = new StateTable(DESC, store, ALL_VNODES);
  t.init(2n);
  const rows = [];
  for await (const r of t.iterAll()) rows.push(r);
  rows.sort((a, b) => Number((a[0] as bigint) - (b[0] as bigint)));
  assert.deepEqual(rows, [[1n, 12n], [9n, 90n]]);
});

test('overwrite: state survives a restart', async () => {
  const store = new MemoryStateStore();
  const first = sourceOf(['bigint', 'bigint'], [1n, ' I I\n + 1 10', 2n]);
  await collect(new MaterializeExecutor(first, new StateTable(DESC, store, ALL_VNODES), 'overwrite'));
  const second = sourceOf(['bigint', 'bigint'], [
    { prevEpoch: 1n, currEpoch: 5n, kind: 'initial' },
    ' I I\n + 1 11\n - 7 0',
    6n,
  ]);
  const out = await collect(new MaterializeExecutor(second, new StateTable(DESC, store, ALL_VNODES), 'overwrite'));
  assert.deepEqual(out, ['barrier 5', ...prettyLines(' I I\n U- 1 10\n U+ 1 11'), 'barrier 6']);
});

test('overwrite: a tiny cache stays correct', async () => {
  const store = new MemoryStateStore();
  const src = sourceOf(['bigint', 'bigint'], [
    1n,
    ' I I\n + 1 10\n + 2 20\n + 3 30\n + 1 11\n - 2 0\n + 2 21',
    2n,
    ' I I\n + 3 31\n - 1 0',
    3n,
  ]);
  const mat = new MaterializeExecutor(src, new StateTable(DESC, store, ALL_VNODES), 'overwrite', 1);
  assert.deepEqual(await collect(mat), [
    'barrier 1',
    ...prettyLines(' I I\n + 1 10\n + 2 20\n + 3 30\n U- 1 10\n U+ 1 11\n - 2 20\n + 2 21'),
    'barrier 2',
    ...prettyLines(' I I\n U- 3 30\n U+ 3 31\n - 1 11'),
    'barrier 3',
  ]);
});

test('none: applies and forwards the input as given', async () => {
  const store = new MemoryStateStore();
  const src = sourceOf(['bigint', 'bigint'], [1n, ' I I\n + 1 10\n + 2 20', 2n, ' I I\n U- 1 10\n U+ 1 11\n - 2 20', 3n]);
  const out = await collect(new MaterializeExecutor(src, new StateTable(DESC, store, ALL_VNODES), 'none'));
  assert.deepEqual(out, [
    'barrier 1', ...prettyLines(' I I\n + 1 10\n + 2 20'),
    'barrier 2', ...prettyLines(' I I\n U- 1 10\n U+ 1 11\n - 2 20'),
    'barrier 3',
  ]);
  const t = new StateTable(DESC, store, ALL_VNODES);
  t.init(2n);
  assert.deepEqual(await t.get([1n]), [1n, 11n]);
  assert.equal(await t.get([2n]), null);
});
