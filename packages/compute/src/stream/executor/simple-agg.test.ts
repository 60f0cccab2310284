import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggCall, StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { SimpleAggExecutor } from './simple-agg.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

// Input: v integer, id bigint (stream key).
const CALLS: AggCall[] = [
  { kind: 'count_star', arg: null, argType: null, returnType: 'bigint' },
  { kind: 'sum', arg: 0, argType: 'integer', returnType: 'bigint' },
  { kind: 'min', arg: 0, argType: 'integer', returnType: 'integer' },
];
const RESULT: StateTableDesc = {
  tableId: 20, name: 'agg.result', columns: ['bigint', 'bytea', 'bytea', 'bytea'], pk: [], pkOrders: [], distKey: [],
};
const MIN: StateTableDesc = {
  tableId: 21, name: 'agg.min', columns: ['integer', 'bigint'], pk: [0, 1], pkOrders: ['asc', 'asc'], distKey: [],
};

function simpleAgg(store: MemoryStateStore, items: Parameters<typeof sourceOf>[1]): SimpleAggExecutor {
  return new SimpleAggExecutor({
    input: sourceOf(['integer', 'bigint'], items),
    schema: ['bigint', 'bigint', 'integer'],
    aggCalls: CALLS,
    inputStreamKey: [1],
    resultTable: new StateTable(RESULT, store, [0]),
    minMaxTables: [null, null, new StateTable(MIN, store, [0])],
  });
}

test('simple agg emits its row at the first barrier and never re-inserts it after a restart', async () => {
  const store = new MemoryStateStore();
  const out = await collect(simpleAgg(store, [1n, 2n, ' i I\n + 5 1\n + 3 2', 3n]));
  assert.deepEqual(out, [
    ...prettyLines(' I I i\n + 0 . .'),
    'barrier 1',
    'barrier 2',
    ...prettyLines(' I I i\n U- 0 . .\n U+ 2 8 3'),
    'barrier 3',
  ]);
  const again = await collect(simpleAgg(store, [
    { prevEpoch: 2n, currEpoch: 5n, kind: 'initial' },
    ' i I\n - 3 2',
    6n,
    ' i I\n - 5 1',
    7n,
  ]));
  assert.deepEqual(again, [
    'barrier 5',
    ...prettyLines(' I I i\n U- 2 8 3\n U+ 1 5 5'),
    'barrier 6',
    ...prettyLines(' I I i\n U- 1 5 5\n U+ 0 . .'),
    'barrier 7',
  ]);
});
