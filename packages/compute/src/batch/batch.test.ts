import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Expr, type AggCall, type BatchNode, type DataType, type Row, type StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../state-table/memory-state-store.ts';
import { StateTable } from '../state-table/state-table.ts';
import { executeBatch } from './index.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
// t(id bigint, g varchar, v bigint), pk id.
const T: StateTableDesc = {
  tableId: 3, name: 't', columns: ['bigint', 'character varying', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [0],
};
const SCHEMA: DataType[] = T.columns;

async function seed(n: number): Promise<MemoryStateStore> {
  const store = new MemoryStateStore();
  const t = new StateTable(T, store, ALL_VNODES);
  t.init(0n);
  for (let i = 0; i < n; i++) t.insert([BigInt(i), i % 3 === 0 ? 'a' : 'b', i % 5 === 0 ? null : BigInt(i % 7)]);
  t.commit({ prevEpoch: 1n, currEpoch: 2n, kind: 'checkpoint' });
  // A later epoch the snapshot at epoch 1 must not see.
  t.insert([BigInt(n), 'late', 1n]);
  t.commit({ prevEpoch: 2n, currEpoch: 3n, kind: 'checkpoint' });
  return store;
}

const scan: BatchNode = { kind: 'scan', schema: SCHEMA, table: T, tableName: 't', columns: [0, 1, 2] };

async function run(node: BatchNode, store: MemoryStateStore, signal?: AbortSignal): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of executeBatch(node, { reader: store, epoch: 1n, signal })) rows.push(...batch);
  return rows;
}

test('scan reads every vnode at the snapshot epoch', async () => {
  const store = await seed(3000);
  const rows = await run(scan, store);
  assert.equal(rows.length, 3000);
  assert.deepEqual(new Set(rows.map((r) => r[0])).size, 3000);
});

test('filter, project, sort, limit', async () => {
  const store = await seed(20);
  const filter: BatchNode = {
    kind: 'filter', schema: SCHEMA, input: scan,
    predicate: Expr.call('>', [Expr.input(2, 'bigint'), Expr.literal(4n, 'bigint')], 'boolean'),
  };
  const project: BatchNode = {
    kind: 'project', schema: ['bigint', 'bigint'], input: filter,
    exprs: [Expr.input(0, 'bigint'), Expr.input(2, 'bigint')],
  };
  const sort: BatchNode = {
    kind: 'sort', schema: project.schema, input: project,
    keys: [{ index: 1, order: 'desc', nullsFirst: true }, { index: 0, order: 'asc', nullsFirst: false }],
  };
  // v = i % 7 (NULL when i % 5 == 0) > 4: i in 6, 12, 13 (v 6, 5, 6)... computed below.
  const expected = Array.from({ length: 20 }, (_, i) => [BigInt(i), i % 5 === 0 ? null : BigInt(i % 7)])
    .filter((r) => r[1] !== null && (r[1] as bigint) > 4n)
    .sort((a, b) => Number((b[1] as bigint) - (a[1] as bigint)) || Number((a[0] as bigint) - (b[0] as bigint)));
  assert.deepEqual(await run(sort, store), expected);
  const limit: BatchNode = { kind: 'limit', schema: sort.schema, input: sort, limit: 2, offset: 1 };
  assert.deepEqual(await run(limit, store), expected.slice(1, 3));
});

test('sort puts NULLs first or last as asked', async () => {
  const store = await seed(6);
  const asc: BatchNode = { kind: 'sort', schema: SCHEMA, input: scan, keys: [{ index: 2, order: 'asc', nullsFirst: false }, { index: 0, order: 'asc', nullsFirst: false }] };
  assert.deepEqual((await run(asc, store)).map((r) => r[0]), [1n, 2n, 3n, 4n, 0n, 5n]);
  const first: BatchNode = { ...asc, keys: [{ index: 2, order: 'asc', nullsFirst: true }, { index: 0, order: 'desc', nullsFirst: false }] };
  assert.deepEqual((await run(first, store)).map((r) => r[0]), [5n, 0n, 1n, 2n, 3n, 4n]);
});

test('limit stops pulling its input early', async () => {
  const store = await seed(5000);
  let pulled = 0;
  const reader = {
    async *iter(s: Uint8Array, e: Uint8Array | null, epoch: bigint) {
      for await (const kv of store.iter(s, e, epoch)) {
        pulled++;
        yield kv;
      }
    },
  };
  const limit: BatchNode = { kind: 'limit', schema: SCHEMA, input: scan, limit: 3, offset: 0 };
  const rows: Row[] = [];
  for await (const b of executeBatch(limit, { reader, epoch: 1n })) rows.push(...b);
  assert.equal(rows.length, 3);
  assert.ok(pulled <= 1024, `pulled ${pulled}`);
});

const CALLS: AggCall[] = [
  { kind: 'count_star', arg: null, argType: null, returnType: 'bigint' },
  { kind: 'count', arg: 2, argType: 'bigint', returnType: 'bigint' },
  { kind: 'sum', arg: 0, argType: 'bigint', returnType: 'numeric' },
  { kind: 'min', arg: 2, argType: 'bigint', returnType: 'bigint' },
  { kind: 'max', arg: 2, argType: 'bigint', returnType: 'bigint' },
];

test('hash agg groups and aggregates; simple agg over empty input yields one row', async () => {
  const store = await seed(10);
  const agg: BatchNode = { kind: 'hashAgg', schema: ['character varying', 'bigint', 'bigint', 'numeric', 'bigint', 'bigint'], groupKey: [1], aggCalls: CALLS, input: scan };
  const rows = (await run(agg, store)).map((r) => r.map((d) => (d !== null && typeof d === 'object' ? String(d) : d)));
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  // a: i = 0 3 6 9 (v . 3 6 2), b: 1 2 4 5 7 8 (v 1 2 4 . 0 1)
  assert.deepEqual(rows, [
    ['a', 4n, 3n, '18', 2n, 6n],
    ['b', 6n, 5n, '27', 0n, 4n],
  ]);
  const empty: BatchNode = {
    kind: 'hashAgg', schema: ['bigint', 'bigint', 'numeric', 'bigint', 'bigint'], groupKey: [], aggCalls: CALLS,
    input: { kind: 'limit', schema: SCHEMA, input: scan, limit: 0, offset: 0 },
  };
  assert.deepEqual(await run(empty, store), [[0n, 0n, null, null, null]]);
});

test('values and abort', async () => {
  const values: BatchNode = { kind: 'values', schema: ['bigint'], rows: [[Expr.literal(1n, 'bigint')], [Expr.literal(2n, 'bigint')]] };
  const store = new MemoryStateStore();
  assert.deepEqual(await run(values, store), [[1n], [2n]]);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(run(values, store, ac.signal), (e: { code?: string }) => e.code === '57014');
});
