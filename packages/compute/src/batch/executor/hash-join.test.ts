import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Expr, type BatchNode, type Datum } from '@tributary/common';
import { executeBatch } from '../index.ts';

const values = (rows: (number | string | null)[][]): BatchNode => ({
  kind: 'values', schema: ['integer', 'character varying'],
  rows: rows.map(([k, v]) => [Expr.literal(k, 'integer'), Expr.literal(v, 'character varying')]),
});

async function run(joinType: 'inner' | 'left' | 'right' | 'full', condition: Expr | null = null): Promise<string[]> {
  const node: BatchNode = {
    kind: 'hashJoin', schema: ['integer', 'character varying', 'integer', 'character varying'], joinType,
    leftKeys: [0], rightKeys: [0], condition,
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
