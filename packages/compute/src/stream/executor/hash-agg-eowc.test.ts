import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggCall, StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { HashAggExecutor } from './hash-agg.ts';
import { ProjectExecutor, watermarkOutputs } from './project.ts';
import { TimeWindowExecutor } from './time-window.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
// Input: window_start bigint, v integer, id bigint (stream key). count(*), sum(v), max(v).
const CALLS: AggCall[] = [
  { kind: 'count_star', arg: null, argType: null, returnType: 'bigint' },
  { kind: 'sum', arg: 1, argType: 'integer', returnType: 'bigint' },
  { kind: 'max', arg: 1, argType: 'integer', returnType: 'integer' },
];
const RESULT: StateTableDesc = {
  tableId: 40, name: 'v.hash_agg_result', columns: ['bigint', 'bigint', 'bytea', 'bytea', 'bytea'], pk: [0], pkOrders: ['asc'], distKey: [0],
};
const MAX: StateTableDesc = {
  tableId: 41, name: 'v.minmax', columns: ['bigint', 'integer', 'bigint'], pk: [0, 1, 2], pkOrders: ['asc', 'desc', 'asc'], distKey: [0],
};

test('hash agg EMIT ON WINDOW CLOSE: each window once, when the watermark passes it; its state is deleted', async () => {
  const store = new MemoryStateStore();
  const wm = (v: bigint) => ({ kind: 'watermark' as const, column: 0, value: v });
  const agg = new HashAggExecutor({
    input: sourceOf(['bigint', 'integer', 'bigint'], [
      1n,
      ' I i I\n + 0 1 1\n + 0 2 2\n + 10 4 3',
      2n,
      ' I i I\n - 0 2 2\n + 10 8 4',
      wm(10n),
      ' I i I\n + 0 100 5\n + 20 16 6',
      3n,
      4n,
      wm(30n),
      5n,
    ]),
    schema: ['bigint', 'bigint', 'bigint', 'integer'],
    groupKey: [0],
    aggCalls: CALLS,
    inputStreamKey: [2],
    resultTable: new StateTable(RESULT, store, ALL_VNODES),
    minMaxTables: [null, null, new StateTable(MAX, store, ALL_VNODES)],
    emitOnWindowClose: { windowKey: 0 },
  });
  assert.deepEqual(await collect(agg), [
    'barrier 1',
    'barrier 2',
    // Window 0 closes at watermark 10; the late row (0, 100) is dropped.
    ...prettyLines(' I I I i\n + 0 1 1 1'),
    'barrier 3',
    'watermark 0 10',
    'barrier 4',
    ...prettyLines(' I I I i\n + 10 2 12 8\n + 20 1 16 16'),
    'barrier 5',
    'watermark 0 30',
  ]);
  // Nothing is left in any state table.
  for (const desc of [RESULT, MAX]) {
    const t = new StateTable(desc, store, ALL_VNODES);
    t.init(5n);
    for await (const row of t.iterAll()) assert.fail(`${desc.name} still holds ${row}`);
  }
});

test('watermarks through TUMBLE (derived window bounds) and project (column mapping)', async () => {
  const input = sourceOf(['bigint', 'bigint'], [{ kind: 'watermark', column: 1, value: 17n }, { kind: 'watermark', column: 0, value: 3n }]);
  const tumble = new TimeWindowExecutor(input, ['bigint', 'bigint', 'bigint', 'bigint'], 1, '10', '10');
  const exprs = [{ kind: 'input', index: 2, type: 'bigint' }, { kind: 'input', index: 1, type: 'bigint' }] as const;
  const project = new ProjectExecutor(tumble, ['bigint', 'bigint'], [(c) => c[2], (c) => c[1]], watermarkOutputs(exprs));
  assert.deepEqual(await collect(project), ['watermark 1 17', 'watermark 0 10']);
});
