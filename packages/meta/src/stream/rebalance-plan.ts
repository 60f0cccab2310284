/** One actor to move: actor `actorIndex` of `fragmentId` goes from one worker to another. */
export interface ActorMove {
  fragmentId: number;
  actorIndex: number;
  actorId: number;
  fromWorker: number;
  toWorker: number;
}

/** A fragment as the planner sees it: its actors in index order and whether they may move. */
export interface PlanFragment {
  fragmentId: number;
  actorIds: number[];
  movable: boolean;
}

/**
 * Which actors to move so that every movable fragment is spread evenly over `workers` (a pure
 * function of the placement, so it is table-tested):
 *
 * 1. The load of a worker is the number of actors it runs (movable or not).
 * 2. Per movable fragment, in id order: while the worker with the most of its actors has at least
 *    two more than the worker with the fewest, move one (the highest index) from the first to the
 *    second. Ties go to the most loaded worker as the source and the least loaded as the target,
 *    so a joining (empty) worker is filled first and fragments do not all keep their extra actor
 *    on the same worker.
 *
 * Actors placed on workers outside `workers` are left alone (recovery owns them).
 */
export function planMoves(fragments: PlanFragment[], workerOf: ReadonlyMap<number, number>, workers: number[]): ActorMove[] {
  if (workers.length < 2) return [];
  const live = new Set(workers);
  const load = new Map<number, number>(workers.map((w) => [w, 0]));
  for (const f of fragments) {
    for (const a of f.actorIds) {
      const w = workerOf.get(a);
      if (w !== undefined && live.has(w)) load.set(w, load.get(w)! + 1);
    }
  }
  const moves: ActorMove[] = [];
  for (const f of [...fragments].sort((a, b) => a.fragmentId - b.fragmentId)) {
    if (!f.movable) continue;
    const placed = f.actorIds.map((a) => workerOf.get(a));
    if (placed.some((w) => w === undefined || !live.has(w))) continue;
    const count = new Map<number, number>(workers.map((w) => [w, 0]));
    for (const w of placed) count.set(w!, count.get(w!)! + 1);
    for (;;) {
      const hi = pick(workers, (w) => [count.get(w)!, load.get(w)!], 1);
      const lo = pick(workers, (w) => [count.get(w)!, load.get(w)!], -1);
      if (count.get(hi)! - count.get(lo)! <= 1) break;
      const actorIndex = placed.lastIndexOf(hi);
      placed[actorIndex] = lo;
      moves.push({ fragmentId: f.fragmentId, actorIndex, actorId: f.actorIds[actorIndex], fromWorker: hi, toWorker: lo });
      count.set(hi, count.get(hi)! - 1);
      count.set(lo, count.get(lo)! + 1);
      load.set(hi, load.get(hi)! - 1);
      load.set(lo, load.get(lo)! + 1);
    }
  }
  return moves;
}

/** The worker with the largest (sign 1) or smallest (sign -1) key; ties to the lower worker id. */
function pick(workers: number[], key: (w: number) => [number, number], sign: 1 | -1): number {
  let best = workers[0];
  for (const w of workers.slice(1)) {
    const [a1, a2] = key(w);
    const [b1, b2] = key(best);
    const cmp = a1 !== b1 ? a1 - b1 : a2 - b2;
    if (cmp * sign > 0) best = w;
  }
  return best;
}
