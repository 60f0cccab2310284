import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractVnodeFromRowId } from '@tributary/common';
import { RowIdGenExecutor } from './row-id-gen.ts';
import { sourceOf } from './test-utils.ts';

test('row id gen fills Insert rows only, with ids in the owned vnodes', async () => {
  const src = sourceOf(['bigint', 'bigint'], [' I I\n + 1 .\n + 2 .\n - 3 77\n U- 4 78\n U+ 4 78', 1n]);
  const exec = new RowIdGenExecutor(src, 1, [5, 9]);
  const msgs = [];
  for await (const m of exec.execute()) msgs.push(m);
  const chunk = msgs[0].kind === 'chunk' ? msgs[0].chunk : assert.fail('expected a chunk');
  const ids = chunk.columns[1];
  assert.equal(typeof ids[0], 'bigint');
  assert.notEqual(ids[0], ids[1]);
  for (const id of ids.slice(0, 2)) assert.ok([5, 9].includes(extractVnodeFromRowId(id as bigint)));
  assert.deepEqual(ids.slice(2), [77n, 78n, 78n]);
  assert.equal(msgs[1].kind, 'barrier');
});
