import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { WatermarkFilterExecutor } from './watermark-filter.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

// Input: id bigint, ts bigint (microseconds); watermark = max(ts) - 5.
const TABLE: StateTableDesc = { tableId: 20, name: 't.watermark', columns: ['smallint', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [] };

function filter(store: MemoryStateStore, items: Parameters<typeof sourceOf>[1], ownVnode = 0): WatermarkFilterExecutor {
  return new WatermarkFilterExecutor({
    input: sourceOf(['bigint', 'bigint'], items), column: 1, delayMicros: 5n, table: new StateTable(TABLE, store, [0]), ownVnode,
  });
}

test('watermark filter: emits max - delay, drops late and NULL rows, splits update pairs', async () => {
  const store = new MemoryStateStore();
  const out = await collect(filter(store, [
    1n,
    ' I I\n + 1 10\n + 2 20\n + 3 .',
    ' I I\n + 4 14\n + 5 16\n U- 2 20\n U+ 2 9',
    ' I I\n + 6 22',
    2n,
  ]));
  assert.deepEqual(out, [
    'barrier 1',
    ...prettyLines(' I I\n + 1 10\n + 2 20'),
    'watermark 1 15',
    ...prettyLines(' I I\n + 5 16\n - 2 20'),
    ...prettyLines(' I I\n + 6 22'),
    'watermark 1 17',
    'barrier 2',
    'watermark 1 17',
  ]);
});

test('watermark filter: recovery resumes the committed watermark; idle actors adopt the max', async () => {
  const store = new MemoryStateStore();
  await collect(filter(store, [1n, ' I I\n + 1 100', 2n]));
  // Every barrier is followed by the current watermark (a view created later gets it).
  // A restarted actor (committed epoch 1) starts from watermark 95: a row at 90 is late.
  const restarted = await collect(filter(store, [2n, ' I I\n + 2 90\n + 3 96', 3n]));
  assert.deepEqual(restarted, ['barrier 2', 'watermark 1 95', ...prettyLines(' I I\n + 3 96'), 'barrier 3', 'watermark 1 95']);
  // Another actor that sees no rows takes the max over actors at its barriers.
  const idle = await collect(filter(store, [3n, 4n], 7));
  assert.deepEqual(idle, ['barrier 3', 'watermark 1 95', 'barrier 4', 'watermark 1 95']);
});
