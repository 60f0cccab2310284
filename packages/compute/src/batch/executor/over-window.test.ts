import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Expr, type BatchNode, type DataType, type Datum, type Row, type SortKey, type WindowCall } from '@tributary/common';
import { executeBatch } from '../index.ts';

// (id int, g int, v int): partition g = 1 has a tie on v and a NULL v; g NULL is one partition.
const SCHEMA: DataType[] = ['integer', 'integer', 'integer'];
const ROWS: Datum[][] = [[1, 1, 10], [2, 1, 20], [3, 1, 20], [4, 1, null], [5, 2, 5], [6, null, 7], [7, null, 1]];
const values: BatchNode = { kind: 'values', schema: SCHEMA, rows: ROWS.map((r) => r.map((d, i) => Expr.literal(d, SCHEMA[i]))) };

function call(kind: WindowCall['kind'], args: number[], returnType: DataType): WindowCall {
  return { kind, args, argTypes: args.map((a) => SCHEMA[a]), returnType };
}

async function run(calls: WindowCall[], orderBy: SortKey[]): Promise<Map<number, Datum[]>> {
  const node: BatchNode = {
    kind: 'overWindow', schema: [...SCHEMA, ...calls.map((c) => c.returnType)], partitionBy: [1], orderBy, calls, input: values,
  };
  const out = new Map<number, Datum[]>();
  for await (const batch of executeBatch(node, { reader: null as never, epoch: 0n })) {
    for (const r of batch as Row[]) out.set(r[0] as number, r.slice(3));
  }
  return out;
}

test('ranking functions and the default frame with peers (ORDER BY v, NULLS LAST)', async () => {
  const out = await run([
    call('row_number', [], 'bigint'), call('rank', [], 'bigint'), call('dense_rank', [], 'bigint'),
    call('sum', [2], 'bigint'), call('last_value', [0], 'integer'), call('cume_dist', [], 'double precision'),
  ], [{ index: 2, order: 'asc', nullsFirst: false }]);
  assert.deepEqual(out.get(1), [1n, 1n, 1n, 10n, 1, 0.25]);
  // Peers (v = 20) share rank, the running sum and the frame end.
  assert.deepEqual(out.get(2)?.slice(1), [2n, 2n, 50n, 3, 0.75]);
  assert.deepEqual(out.get(3)?.slice(1), [2n, 2n, 50n, 3, 0.75]);
  assert.deepEqual(out.get(4), [4n, 4n, 3n, 50n, 4, 1]);
  assert.deepEqual(out.get(5), [1n, 1n, 1n, 5n, 5, 1]);
  assert.deepEqual(out.get(7)?.slice(0, 4), [1n, 1n, 1n, 1n]);
  assert.deepEqual(out.get(6)?.slice(0, 4), [2n, 2n, 2n, 8n]);
});

test('lag / lead with offset and default, ntile, first/nth value, count(*) without ORDER BY', async () => {
  const byId = [{ index: 0, order: 'asc' as const, nullsFirst: false }];
  const lagCalls: BatchNode = { kind: 'project', schema: [...SCHEMA, 'integer', 'integer'], input: values, exprs: [
    Expr.input(0, 'integer'), Expr.input(1, 'integer'), Expr.input(2, 'integer'), Expr.literal(2, 'integer'), Expr.literal(-1, 'integer'),
  ] };
  const calls: WindowCall[] = [
    { kind: 'lag', args: [2, 3, 4], argTypes: ['integer', 'integer', 'integer'], returnType: 'integer' },
    { kind: 'lead', args: [0], argTypes: ['integer'], returnType: 'integer' },
    { kind: 'ntile', args: [3], argTypes: ['integer'], returnType: 'integer' },
    { kind: 'nth_value', args: [0, 3], argTypes: ['integer', 'integer'], returnType: 'integer' },
    { kind: 'first_value', args: [2], argTypes: ['integer'], returnType: 'integer' },
  ];
  const node: BatchNode = { kind: 'overWindow', schema: [...lagCalls.schema, 'integer', 'integer', 'integer', 'integer', 'integer'], partitionBy: [1], orderBy: byId, calls, input: lagCalls };
  const got = new Map<number, Datum[]>();
  for await (const batch of executeBatch(node, { reader: null as never, epoch: 0n })) for (const r of batch) got.set(r[0] as number, r.slice(5));
  // g = 1 holds ids 1..4: ntile(2) of 4 rows = 1 1 2 2; nth_value(id, 2) is NULL until the frame has 2 rows.
  assert.deepEqual([1, 2, 3, 4].map((id) => got.get(id)), [
    [-1, 2, 1, null, 10], [-1, 3, 1, 2, 10], [10, 4, 2, 2, 10], [20, null, 2, 2, 10],
  ]);
  const all = await run([call('count_star', [], 'bigint'), call('max', [2], 'integer')], []);
  assert.deepEqual(all.get(2), [4n, 20]);
  assert.deepEqual(all.get(6), [2n, 7]);
});
