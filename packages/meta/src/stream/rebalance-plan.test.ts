import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planMoves, type PlanFragment } from './rebalance-plan.ts';

const frag = (fragmentId: number, actorIds: number[], movable = true): PlanFragment => ({ fragmentId, actorIds, movable });

test('a joining worker gets one actor of each movable fragment of four actors over two workers', () => {
  const workerOf = new Map([[1, 1], [2, 2], [3, 1], [4, 2], [11, 1], [12, 2], [13, 1], [14, 2], [21, 1], [22, 2]]);
  const moves = planMoves([frag(10, [1, 2, 3, 4]), frag(20, [11, 12, 13, 14]), frag(5, [21, 22], false)], workerOf, [1, 2, 3]);
  assert.equal(moves.length, 2);
  assert.ok(moves.every((m) => m.toWorker === 3));
  // The two fragments do not both take their actor from the same worker.
  assert.notEqual(moves[0].fromWorker, moves[1].fromWorker);
  assert.deepEqual(moves.map((m) => m.fragmentId), [10, 20]);
});

test('pinned fragments never move; balanced fragments are left alone', () => {
  const workerOf = new Map([[1, 1], [2, 1], [3, 2], [4, 2]]);
  assert.deepEqual(planMoves([frag(1, [1, 2, 3, 4], false)], workerOf, [1, 2, 3]), []);
  assert.deepEqual(planMoves([frag(1, [1, 3])], workerOf, [1, 2, 3]), []);
  assert.deepEqual(planMoves([frag(1, [1, 2, 3, 4])], workerOf, [1]), []);
});

test('six actors on two workers spread two per worker over three', () => {
  const workerOf = new Map([[1, 1], [2, 2], [3, 1], [4, 2], [5, 1], [6, 2]]);
  const moves = planMoves([frag(1, [1, 2, 3, 4, 5, 6])], workerOf, [1, 2, 3]);
  const after = new Map(workerOf);
  for (const m of moves) after.set(m.actorId, m.toWorker);
  const counts = [1, 2, 3].map((w) => [...after.values()].filter((x) => x === w).length);
  assert.deepEqual(counts, [2, 2, 2]);
  assert.equal(moves.length, 2);
});

test('actors on a worker that is not live are left to recovery', () => {
  const workerOf = new Map([[1, 1], [2, 9], [3, 1], [4, 1]]);
  assert.deepEqual(planMoves([frag(1, [1, 2, 3, 4])], workerOf, [1, 2]), []);
});
