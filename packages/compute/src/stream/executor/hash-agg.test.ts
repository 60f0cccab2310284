import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggCall, StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { HashAggExecutor } from './hash-agg.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
// Input: k bigint, v integer, id bigint (stream key).
const INPUT = ['bigint', 'integer', 'bigint'] as const;
const CALLS: AggCall[] = [
  { kind: 'count_star', arg: null, argType: null, returnType: 'bigint' },
  { kind: 'count', arg: 1, argType: 'integer', returnType: 'bigint' },
  { kind: 'sum', arg: 1, argType: 'integer', returnType: 'bigint' },
  { kind: 'min', arg: 1, argType: 'integer', returnType: 'integer' },
  { kind: 'max', arg: 1, argType: 'integer', returnType: 'integer' },
];
const RESULT: StateTableDesc = {
  tableId: 10, name: 'agg.result', columns: ['bigint', 'bigint', 'bytea', 'bytea', 'bytea', 'bytea', 'bytea'],
  pk: [0], pkOrders: ['asc'], distKey: [0],
};
const minMax = (tableId: number, order: 'asc' | 'desc'): StateTableDesc => ({
  tableId, name: `agg.minmax${tableId}`, columns: ['bigint', 'integer', 'bigint'],
  pk: [0, 1, 2], pkOrders: ['asc', order, 'asc'], distKey: [0],
});

function hashAgg(store: MemoryStateStore, items: Parameters<typeof sourceOf>[1]): HashAggExecutor {
  return new HashAggExecutor({
    input: sourceOf([...INPUT], items),
    schema: ['bigint', 'bigint', 'bigint', 'bigint', 'integer', 'integer'],
    groupKey: [0],
    aggCalls: CALLS,
    inputStreamKey: [2],
    resultTable: new StateTable(RESULT, store, ALL_VNODES),
    minMaxTables: [null, null, null, new StateTable(minMax(11, 'asc'), store, ALL_VNODES), new StateTable(minMax(12, 'desc'), store, ALL_VNODES)],
  });
}

test('hash agg: count/sum/min/max with retractions, groups disappearing, restart', async () => {
  const store = new MemoryStateStore();
  const out = await collect(hashAgg(store, [
    1n,
    ' I i I\n + 1 5 1\n + 1 3 2\n + 2 7 3\n + 1 . 4',
    2n,
    ' I i I\n - 1 3 2\n + 2 9 5',
    3n,
    ' I i I\n - 2 7 3\n - 2 9 5',
    4n,
  ]));
  assert.deepEqual(out, [
    'barrier 1',
    ...prettyLines(' I I I I i i\n + 1 3 2 8 3 5\n + 2 1 1 7 7 7'),
    'barrier 2',
    ...prettyLines(' I I I I i i\n U- 1 3 2 8 3 5\n U+ 1 2 1 5 5 5\n U- 2 1 1 7 7 7\n U+ 2 2 2 16 7 9'),
    'barrier 3',
    ...prettyLines(' I I I I i i\n - 2 2 2 16 7 9'),
    'barrier 4',
  ]);

  // A fresh executor over the same store continues from the committed state (epoch 4's prev = 3).
  const again = await collect(hashAgg(store, [
    { prevEpoch: 3n, currEpoch: 10n, kind: 'initial' },
    ' I i I\n - 1 5 1',
    11n,
    ' I i I\n + 1 4 6\n + 1 6 7\n + 2 1 8',
    12n,
    ' I i I\n U- 1 4 6\n U+ 1 4 6',
    13n,
  ]));
  assert.deepEqual(again, [
    'barrier 10',
    ...prettyLines(' I I I I i i\n U- 1 2 1 5 5 5\n U+ 1 1 0 . . .'),
    'barrier 11',
    ...prettyLines(' I I I I i i\n U- 1 1 0 . . .\n U+ 1 3 2 10 4 6\n + 2 1 1 1 1 1'),
    'barrier 12',
    'barrier 13',
  ]);
});

test('hash agg: insert and delete of a group within one epoch emits nothing', async () => {
  const store = new MemoryStateStore();
  const out = await collect(hashAgg(store, [1n, ' I i I\n + 1 5 1', ' I i I\n - 1 5 1', 2n]));
  assert.deepEqual(out, ['barrier 1', 'barrier 2']);
});

test('hash agg: count(DISTINCT), FILTER, string_agg ORDER BY, bool_and, with retractions and restart', async () => {
  // Input: k bigint, v integer, id bigint (stream key), s varchar, b boolean.
  const input = ['bigint', 'integer', 'bigint', 'character varying', 'boolean'] as const;
  const calls: AggCall[] = [
    { kind: 'count', arg: 1, argType: 'integer', returnType: 'bigint', distinct: true },
    { kind: 'count_star', arg: null, argType: null, returnType: 'bigint', filter: 4 },
    { kind: 'string_agg', arg: 3, argType: 'character varying', returnType: 'character varying', delimiter: 3, orderBy: [{ index: 1, order: 'desc', nullsFirst: true }] },
    { kind: 'bool_and', arg: 4, argType: 'boolean', returnType: 'boolean' },
  ];
  const result: StateTableDesc = {
    tableId: 40, name: 'agg.result', columns: ['bigint', 'bigint', 'bytea', 'bytea', 'bytea', 'bytea'], pk: [0], pkOrders: ['asc'], distKey: [0],
  };
  const distinct: StateTableDesc = {
    tableId: 41, name: 'agg.distinct', columns: ['bigint', 'integer', 'bigint'], pk: [0, 1], pkOrders: ['asc', 'asc'], distKey: [0],
  };
  const strings: StateTableDesc = {
    tableId: 42, name: 'agg.string_agg', columns: ['bigint', 'bigint', 'character varying', 'character varying', 'integer'],
    pk: [0, 1], pkOrders: ['asc', 'asc'], distKey: [0],
  };
  const store = new MemoryStateStore();
  const agg = (items: Parameters<typeof sourceOf>[1]) => new HashAggExecutor({
    input: sourceOf([...input], items),
    schema: ['bigint', 'bigint', 'bigint', 'character varying', 'boolean'],
    groupKey: [0],
    aggCalls: calls,
    inputStreamKey: [2],
    resultTable: new StateTable(result, store, ALL_VNODES),
    minMaxTables: [null, null, new StateTable(strings, store, ALL_VNODES), null],
    distinctTables: [new StateTable(distinct, store, ALL_VNODES), null, null, null],
  });
  const out = await collect(agg([1n, ' I i I T B\n + 1 5 1 a t\n + 1 5 2 b f\n + 1 7 3 c t', 2n]));
  assert.deepEqual(out, ['barrier 1', ...prettyLines(' I I I T B\n + 1 2 2 caabb f'), 'barrier 2']);
  const again = await collect(agg([{ prevEpoch: 2n, currEpoch: 3n, kind: 'initial' }, ' I i I T B\n - 1 5 2 b f', 4n]));
  assert.deepEqual(again, ['barrier 3', ...prettyLines(' I I I T B\n U- 1 2 2 caabb f\n U+ 1 2 2 caa t'), 'barrier 4']);
});
