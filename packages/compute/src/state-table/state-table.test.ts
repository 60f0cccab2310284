import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from './memory-state-store.ts';
import { StateTable } from './state-table.ts';
import { prefixEnd } from './state-table-key.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);

function desc(overrides: Partial<StateTableDesc> = {}): StateTableDesc {
  return {
    tableId: 7,
    name: 't',
    columns: ['integer', 'integer', 'character varying'],
    pk: [0, 1],
    pkOrders: ['asc', 'asc'],
    distKey: [0],
    ...overrides,
  };
}

const b = (prev: bigint, curr: bigint) => ({ prevEpoch: prev, currEpoch: curr, kind: 'checkpoint' as const });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('prefixEnd', () => {
  assert.deepEqual(prefixEnd(Uint8Array.of(1, 2, 0xff)), Uint8Array.of(1, 3));
  assert.equal(prefixEnd(Uint8Array.of(0xff, 0xff)), null);
});

test('get sees own buffer, then the store after commit', async () => {
  const store = new MemoryStateStore();
  const t = new StateTable(desc(), store, ALL_VNODES);
  t.init(0n);
  t.insert([1, 1, 'a']);
  t.insert([1, 2, 'b']);
  assert.deepEqual(await t.get([1, 1]), [1, 1, 'a']);
  t.commit(b(1n, 2n));
  t.delete([1, 1, 'a']);
  assert.equal(await t.get([1, 1]), null);
  assert.deepEqual(await t.get([1, 2]), [1, 2, 'b']);
  t.update([1, 2, 'b'], [1, 2, 'c']);
  assert.deepEqual(await t.get([1, 2]), [1, 2, 'c']);
  t.commit(b(2n, 3n));

  // A fresh table reading at epoch 1 sees the first version only.
  const old = new StateTable(desc(), store, ALL_VNODES);
  old.init(1n);
  assert.deepEqual(await old.get([1, 1]), [1, 1, 'a']);
  assert.deepEqual(await old.get([1, 2]), [1, 2, 'b']);
  const now = new StateTable(desc(), store, ALL_VNODES);
  now.init(2n);
  assert.equal(await now.get([1, 1]), null);
  assert.deepEqual(await now.get([1, 2]), [1, 2, 'c']);
});

test('iterWithPrefix merges the buffer over the store in pk order', async () => {
  const store = new MemoryStateStore();
  const t = new StateTable(desc({ pkOrders: ['asc', 'desc'] }), store, ALL_VNODES);
  t.init(0n);
  for (const k of [1, 3, 5]) t.insert([1, k, `s${k}`]);
  t.insert([2, 9, 'other']);
  t.commit(b(1n, 2n));
  t.insert([1, 4, 'new']);
  t.delete([1, 3, 's3']);
  t.insert([1, 5, 'over']);
  const rows = await all(t.iterWithPrefix([1]));
  assert.deepEqual(rows, [[1, 5, 'over'], [1, 4, 'new'], [1, 1, 's1']]);
  assert.deepEqual(await all(t.iterWithPrefix([2])), [[2, 9, 'other']]);
  assert.equal((await all(t.iterAll())).length, 4);
});

test('only owned vnodes are iterated', async () => {
  const store = new MemoryStateStore();
  const writer = new StateTable(desc(), store, ALL_VNODES);
  writer.init(0n);
  for (let k = 0; k < 50; k++) writer.insert([k, 0, 'x']);
  writer.commit(b(1n, 2n));
  const vnodeOf = (k: number) => writer.vnodeOfRow([k, 0, 'x']);
  const half = ALL_VNODES.filter((v) => v % 2 === 0);
  const reader = new StateTable(desc(), store, half);
  reader.init(1n);
  const seen = (await all(reader.iterAll())).map((r) => r[0] as number).sort((a, c) => a - c);
  const expected = Array.from({ length: 50 }, (_, k) => k).filter((k) => vnodeOf(k) % 2 === 0);
  assert.deepEqual(seen, expected);
});

test('singleton table (empty dist key) lives in vnode 0', async () => {
  const store = new MemoryStateStore();
  const t = new StateTable(desc({ pk: [], pkOrders: [], distKey: [] }), store, [0]);
  t.init(0n);
  t.insert([1, 2, 'only']);
  t.commit(b(1n, 2n));
  assert.deepEqual(await t.get([]), [1, 2, 'only']);
  t.insert([3, 4, 'replaced']);
  assert.deepEqual(await all(t.iterAll()), [[3, 4, 'replaced']]);
});
