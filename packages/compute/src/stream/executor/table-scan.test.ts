import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { MaterializeExecutor } from './materialize.ts';
import { TableScanExecutor } from './table-scan.ts';
import { barrier, collect, prettyLines, sourceOf } from './test-utils.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
const UPSTREAM: StateTableDesc = {
  tableId: 1, name: 't', columns: ['bigint', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [0],
};
const PROGRESS: StateTableDesc = {
  tableId: 2, name: 'mv.progress', columns: ['smallint', 'boolean'], pk: [0], pkOrders: ['asc'], distKey: [0],
};

async function seedUpstream(store: MemoryStateStore): Promise<void> {
  const src = sourceOf(['bigint', 'bigint'], [1n, ' I I\n + 1 10\n + 2 20\n + 3 30', 2n]);
  await collect(new MaterializeExecutor(src, new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite'));
}

function scan(store: MemoryStateStore, items: Parameters<typeof sourceOf>[1]) {
  return new TableScanExecutor({
    upstream: sourceOf(['bigint', 'bigint'], items),
    upstreamTable: new StateTable(UPSTREAM, store, ALL_VNODES),
    outputIndices: [1, 0],
    progressTable: new StateTable(PROGRESS, store, ALL_VNODES),
    vnodes: ALL_VNODES,
  });
}

test('table scan yields the snapshot after the first barrier, then the live stream', async () => {
  const store = new MemoryStateStore();
  await seedUpstream(store);
  const out = await collect(scan(store, [barrier(3n), ' I I\n + 4 40\n - 1 10', 4n]));
  assert.equal(out[0], 'barrier 3');
  assert.deepEqual(out.slice(1, 4).sort(), prettyLines(' I I\n + 10 1\n + 20 2\n + 30 3'));
  assert.deepEqual(out.slice(4), [...prettyLines(' I I\n + 40 4\n - 10 1'), 'barrier 4']);

  // Restarted after progress was committed (at epoch 3): no second snapshot.
  const again = await collect(scan(store, [{ prevEpoch: 3n, currEpoch: 9n, kind: 'initial' }, ' I I\n + 5 50', 10n]));
  assert.deepEqual(again, ['barrier 9', ...prettyLines(' I I\n + 50 5'), 'barrier 10']);
});
