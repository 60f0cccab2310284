import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { TopNExecutor } from './top-n.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

// Input: g integer, v integer, id bigint (stream key). Order: v desc, ties by id.
function topN(store: MemoryStateStore, items: Parameters<typeof sourceOf>[1], group: boolean): TopNExecutor {
  const table: StateTableDesc = {
    tableId: 30, name: 'top', columns: ['integer', 'integer', 'bigint'],
    pk: group ? [0, 1, 2] : [1, 2], pkOrders: group ? ['asc', 'desc', 'asc'] : ['desc', 'asc'], distKey: group ? [0] : [],
  };
  return new TopNExecutor({
    input: sourceOf(['integer', 'integer', 'bigint'], items),
    schema: group ? ['integer', 'integer', 'bigint', 'bigint'] : ['integer', 'integer', 'bigint'],
    groupKey: group ? [0] : [],
    limit: 2,
    offset: group ? 0 : 1,
    withRank: group,
    table: new StateTable(table, store, group ? Array.from({ length: 256 }, (_, i) => i) : [0]),
  });
}

test('top-N (limit 2 offset 1): rows enter and leave the window at barriers, state survives a restart', async () => {
  const store = new MemoryStateStore();
  const out = await collect(topN(store, [1n, ' i i I\n + 0 5 1\n + 0 9 2\n + 0 7 3', 2n, ' i i I\n + 0 8 4', 3n], false));
  assert.deepEqual(out, [
    'barrier 1',
    ...prettyLines(' i i I\n + 0 7 3\n + 0 5 1'),
    'barrier 2',
    ...prettyLines(' i i I\n - 0 5 1\n + 0 8 4'),
    'barrier 3',
  ]);
  const again = await collect(topN(store, [{ prevEpoch: 3n, currEpoch: 4n, kind: 'initial' }, ' i i I\n - 0 9 2', 5n], false));
  assert.deepEqual(again, ['barrier 4', ...prettyLines(' i i I\n - 0 8 4\n + 0 5 1'), 'barrier 5']);
});

test('group top-N with rank: a new leader shifts the ranks of its group only', async () => {
  const store = new MemoryStateStore();
  const out = await collect(topN(store, [1n, ' i i I\n + 1 5 1\n + 1 3 2\n + 2 4 3', 2n, ' i i I\n + 1 9 4', 3n], true));
  assert.deepEqual(out.slice(0, out.indexOf('barrier 2')), [
    'barrier 1', ...prettyLines(' i i I I\n + 1 5 1 1\n + 1 3 2 2\n + 2 4 3 1'),
  ]);
  const second = out.slice(out.indexOf('barrier 2') + 1, out.indexOf('barrier 3'));
  assert.deepEqual(second, prettyLines(' i i I I\n - 1 3 2 2\n U- 1 5 1 1\n U+ 1 5 1 2\n + 1 9 4 1'));
});
