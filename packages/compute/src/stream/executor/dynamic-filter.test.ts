import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochFromMs, type StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { Channel } from '../channel.ts';
import { DynamicFilterExecutor } from './dynamic-filter.ts';
import type { DmlMessage } from './dml.ts';
import { barrierTimeMicros, NowExecutor } from './now.ts';
import { barrier, collect, prettyLines, sourceOf } from './test-utils.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
// Left: id bigint, ts bigint; state pk = (ts, id), distributed by id.
const TABLE: StateTableDesc = { tableId: 30, name: 'v.dynamic_filter_0', columns: ['bigint', 'bigint'], pk: [1, 0], pkOrders: ['asc', 'asc'], distKey: [0] };

function dynamicFilter(store: MemoryStateStore, left: Parameters<typeof sourceOf>[1], right: Parameters<typeof sourceOf>[1]) {
  return new DynamicFilterExecutor({
    left: sourceOf(['bigint', 'bigint'], left),
    right: sourceOf(['bigint'], right),
    column: 1, op: '>', offsetMicros: -10n, table: new StateTable(TABLE, store, ALL_VNODES),
  });
}

test('now: the barrier time after each barrier, Insert then U-/U+', async () => {
  const inbox = new Channel<DmlMessage>(16);
  const e1 = epochFromMs(Date.UTC(2024, 0, 1)) ;
  const e2 = epochFromMs(Date.UTC(2024, 0, 1, 0, 0, 1));
  inbox.sendNow({ kind: 'barrier', barrier: { prevEpoch: 1n, currEpoch: e1, kind: 'checkpoint' } });
  inbox.sendNow({ kind: 'barrier', barrier: { prevEpoch: e1, currEpoch: e2, kind: 'checkpoint' } });
  inbox.close();
  const t1 = barrierTimeMicros(e1);
  assert.equal(t1, BigInt(Date.UTC(2024, 0, 1)) * 1000n);
  assert.deepEqual(await collect(new NowExecutor(inbox)), [
    `barrier ${e1}`, `+ ${t1}`, `barrier ${e2}`, `U- ${t1}`, `U+ ${t1 + 1_000_000n}`,
  ]);
});

test('dynamic filter: ts > now - 10 keeps rows in range and retracts them as now advances', async () => {
  const store = new MemoryStateStore();
  const out = await collect(dynamicFilter(store, [
    barrier(1n),
    ' I I\n + 1 5\n + 2 25',
    barrier(2n),
    ' I I\n + 3 12\n + 4 30\n - 2 25\n + 5 .',
    barrier(3n),
    barrier(4n),
  ], [
    barrier(1n),
    ' I\n + 20',
    barrier(2n),
    barrier(3n),
    ' I\n U- 20\n U+ 35',
    barrier(4n),
  ]));
  assert.deepEqual(out, [
    'barrier 1',
    // No bound yet: both pass; the bound 10 applied at barrier 2 retracts id 1.
    ...prettyLines(' I I\n + 1 5\n + 2 25'),
    ...prettyLines(' I I\n - 1 5'),
    'barrier 2',
    ...prettyLines(' I I\n + 3 12\n + 4 30\n - 2 25'),
    'barrier 3',
    // Bound 25: id 3 (12) expires, id 4 (30) stays.
    ...prettyLines(' I I\n - 3 12'),
    'barrier 4',
  ]);
  // Only the row in range is left in the state table.
  const t = new StateTable(TABLE, store, ALL_VNODES);
  t.init(3n);
  const rows = [];
  for await (const r of t.iterAll()) rows.push(r);
  assert.deepEqual(rows, [[4n, 30n]]);
});
