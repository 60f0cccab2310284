import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Expr, type BatchNode, type Datum, type JoinType } from '@tributary/common';
import { executeBatch } from '../index.ts';

const values = (rows: (number | string | null)[][]): BatchNode => ({
  kind: 'values', schema: ['integer', 'character varying'],
  rows: rows.map(([k, v]) => [Expr.literal(k, 'integer'), Expr.literal(v, 'character varying')]),
});

async function run(joinType: JoinType, condition: Expr | null = null, keys = [0]): Promise<string[]> {
  const semi = joinType === 'leftSemi' || joinType === 'leftAnti';
  const node: BatchNode = {
    kind: 'hashJoin', schema: ['integer', 'character varying', ...(semi ? [] : ['integer', 'character varying'] as const)], joinType,
    leftKeys: keys, rightKeys: keys, condition,
    left: values([[1, 'a'], [2, 'b'], [null, 'n'], [3, 'c']]),
    right: values([[1, 'x'], [1, 'y'], [3, 'skip'], [4, 'z'], [null, 'm']]),
  };
  const out: string[] = [];
  for await (const rows of executeBatch(node, { reader: null as never, epoch: 0n })) {
    for (const r of rows) out.push(r.map((d: Datum) => (d === null ? 'NULL' : String(d))).join(' '));
  }
  return out.sort();
}

test('batch hash join: inner/left/right/full, NULL keys never match, non-equi condition', async () => {
  const cond = Expr.call('<>', [Expr.input(3, 'character varying'), Expr.literal('skip', 'character varying')], 'boolean');
  assert.deepEqual(await run('inner'), ['1 a 1 x', '1 a 1 y', '3 c 3 skip']);
  assert.deepEqual(await run('left', cond), ['1 a 1 x', '1 a 1 y', '2 b NULL NULL', '3 c NULL NULL', 'NULL n NULL NULL']);
  assert.deepEqual(await run('right', cond), ['1 a 1 x', '1 a 1 y', 'NULL NULL 3 skip', 'NULL NULL 4 z', 'NULL NULL NULL m']);
  assert.deepEqual((await run('full')).length, 3 + 2 + 2);
});

test('batch semi/anti joins keep left rows with some / no match; no keys = nested loop', async () => {
  const cond = Expr.call('<>', [Expr.input(3, 'character varying'), Expr.literal('skip', 'character varying')], 'boolean');
  assert.deepEqual(await run('leftSemi'), ['1 a', '3 c']);
  assert.deepEqual(await run('leftSemi', cond), ['1 a']);
  assert.deepEqual(await run('leftAnti', cond), ['2 b', '3 c', 'NULL n']);
  assert.deepEqual((await run('inner', null, [])).length, 4 * 5);
});
