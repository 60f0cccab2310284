import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExpr, Expr, type JoinType, type StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { HashJoinExecutor } from './hash-join.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
// Left: id bigint (stream key), k integer. Right: id bigint (stream key), k integer, v varchar.
const LEFT: StateTableDesc = {
  tableId: 20, name: 'j.left', columns: ['bigint', 'integer', 'bigint'], pk: [1, 0], pkOrders: ['asc', 'asc'], distKey: [1],
};
const RIGHT: StateTableDesc = {
  tableId: 21, name: 'j.right', columns: ['bigint', 'integer', 'character varying', 'bigint'], pk: [1, 0], pkOrders: ['asc', 'asc'], distKey: [1],
};

type Items = Parameters<typeof sourceOf>[1];

/** Real inputs open with a barrier: prepend barrier 1 and shift the given epochs by one. */
const opened = (items: Items): Items => [1n, ...items.map((i) => (typeof i === 'bigint' ? i + 1n : i))];

function join(store: MemoryStateStore, joinType: JoinType, left: Items, right: Items, condition: Expr | null = null): HashJoinExecutor {
  return new HashJoinExecutor({
    left: sourceOf(['bigint', 'integer'], opened(left)),
    right: sourceOf(['bigint', 'integer', 'character varying'], opened(right)),
    joinType, leftKeys: [1], rightKeys: [1], condition: condition ? buildExpr(condition) : null,
    leftTable: new StateTable(LEFT, store, ALL_VNODES),
    rightTable: new StateTable(RIGHT, store, ALL_VNODES),
  });
}

/** The transcript with rows sorted within each epoch (the two inputs interleave freely). */
async function epochs(exec: HashJoinExecutor, barriers: number): Promise<string[][]> {
  const out: string[][] = [[]];
  for (const line of await collect(exec, barriers + 1)) {
    if (line.startsWith('barrier')) out.push([]);
    else out[out.length - 1].push(line);
  }
  out.pop();
  assert.deepEqual(out.shift(), []);
  return out.map((e) => e.sort());
}

const sorted = (text: string): string[] => (text.trim() === '' ? [] : prettyLines(text).sort());

test('left join: NULL-padded rows come and go with matches; NULL keys; restart from state', async () => {
  const store = new MemoryStateStore();
  const got = await epochs(join(store, 'left', [
    ' I i\n + 1 10\n + 2 20', 1n, 2n, 3n, 4n, ' I i\n - 1 10\n + 3 .', 5n,
  ], [
    1n, ' I i T\n + 100 10 a', 2n, ' I i T\n + 101 10 b\n - 100 10 a', 3n, ' I i T\n - 101 10 b', 4n, 5n,
  ]), 5);
  assert.deepEqual(got, [
    sorted(' I i I i T\n + 1 10 . . .\n + 2 20 . . .'),
    sorted(' I i I i T\n - 1 10 . . .\n + 1 10 100 10 a'),
    sorted(' I i I i T\n + 1 10 101 10 b\n - 1 10 100 10 a'),
    sorted(' I i I i T\n - 1 10 101 10 b\n + 1 10 . . .'),
    sorted(' I i I i T\n - 1 10 . . .\n + 3 . . . .'),
  ]);
  // A fresh executor over the same store continues: row 2 is still unmatched.
  const again = await epochs(join(store, 'left', [6n, 7n], [6n, ' I i T\n + 102 20 c', 7n]), 2);
  assert.deepEqual(again, [[], sorted(' I i I i T\n - 2 20 . . .\n + 2 20 102 20 c')]);
});

test('full join with a non-equi condition; inner join emits only matches', async () => {
  // ON l.k = r.k AND r.v <> 'no'
  const cond = Expr.call('<>', [Expr.input(4, 'character varying'), Expr.literal('no', 'character varying')], 'boolean');
  const store = new MemoryStateStore();
  const got = await epochs(join(store, 'full', [1n, ' I i\n + 4 30', 2n, ' I i\n U- 4 30\n U+ 4 31', 3n], [
    ' I i T\n + 200 30 x\n + 201 30 no', 1n, 2n, 3n,
  ], cond), 3);
  assert.deepEqual(got, [
    sorted(' I i I i T\n + . . 200 30 x\n + . . 201 30 no'),
    sorted(' I i I i T\n - . . 200 30 x\n + 4 30 200 30 x'),
    sorted(' I i I i T\n - 4 30 200 30 x\n + . . 200 30 x\n + 4 31 . . .'),
  ]);
  const inner = await epochs(join(new MemoryStateStore(), 'inner', [' I i\n + 1 10\n + 2 20', 1n], [' I i T\n + 9 10 z', 1n]), 1);
  assert.deepEqual(inner, [sorted(' I i I i T\n + 1 10 9 10 z')]);
});

test('semi join: a left row shows while it has a match; retractions on both sides; restart from state', async () => {
  const store = new MemoryStateStore();
  const got = await epochs(join(store, 'leftSemi', [
    ' I i\n + 1 10\n + 2 20\n + 3 .', 1n, 2n, 3n, ' I i\n - 2 20', 4n,
  ], [
    ' I i T\n + 100 10 a\n + 101 10 b', 1n, ' I i T\n - 100 10 a\n + 102 20 c', 2n, ' I i T\n - 101 10 b', 3n, 4n,
  ]), 4);
  assert.deepEqual(got, [
    sorted(' I i\n + 1 10'),
    sorted(' I i\n + 2 20'),
    sorted(' I i\n - 1 10'),
    sorted(' I i\n - 2 20'),
  ]);
  const again = await epochs(join(store, 'leftSemi', [5n, ' I i\n + 4 20', 6n], [5n, ' I i T\n + 103 10 d', 6n]), 2);
  assert.deepEqual(again, [[], sorted(' I i\n + 1 10\n + 4 20')]);
});

test('anti join: a left row shows while it has no match (NULL keys always); non-equi condition', async () => {
  // NOT EXISTS (... WHERE r.k = l.k AND r.v <> 'no')
  const cond = Expr.call('<>', [Expr.input(4, 'character varying'), Expr.literal('no', 'character varying')], 'boolean');
  const store = new MemoryStateStore();
  const got = await epochs(join(store, 'leftAnti', [
    ' I i\n + 1 10\n + 2 20\n + 3 .', 1n, 2n, 3n, ' I i\n - 3 .\n U- 1 10\n U+ 1 20', 4n,
  ], [
    1n, ' I i T\n + 100 10 a\n + 101 20 no', 2n, ' I i T\n - 100 10 a\n + 102 20 c', 3n, 4n,
  ], cond), 4);
  assert.deepEqual(got, [
    sorted(' I i\n + 1 10\n + 2 20\n + 3 .'),
    sorted(' I i\n - 1 10'),
    sorted(' I i\n + 1 10\n - 2 20'),
    sorted(' I i\n - 3 .\n - 1 10'),
  ]);
});

test('rows an input emits before its first barrier (a simple agg) are joined once the state is ready', async () => {
  const store = new MemoryStateStore();
  const exec = new HashJoinExecutor({
    left: sourceOf(['bigint', 'integer'], [1n, ' I i\n + 1 10', 2n]),
    // No leading barrier: the row comes first, as a simple agg's initial row does.
    right: sourceOf(['bigint', 'integer', 'character varying'], [' I i T\n + 7 10 a', 1n, 2n]),
    joinType: 'inner', leftKeys: [1], rightKeys: [1], condition: null,
    leftTable: new StateTable(LEFT, store, ALL_VNODES), rightTable: new StateTable(RIGHT, store, ALL_VNODES),
  });
  const out = await collect(exec, 2);
  assert.deepEqual(out, ['barrier 1', ...prettyLines(' I i I i T\n + 1 10 7 10 a'), 'barrier 2']);
});
