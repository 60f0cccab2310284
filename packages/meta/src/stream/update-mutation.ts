import type { ActorDesc, MergeUpdate, UpdateMutation } from '@tributary/common';

/**
 * The `update` mutation that turns the actor graph `before` into `after` (both by actor id):
 * actors only in `before` stop; actors in both get their new dispatchers when those changed and
 * add/remove merge inputs per upstream fragment. Actors only in `after` are built beforehand and
 * need nothing in the mutation (they start with its barrier).
 */
export function updateMutation(before: ReadonlyMap<number, ActorDesc>, after: ReadonlyMap<number, ActorDesc>): UpdateMutation {
  const m: UpdateMutation = { kind: 'update', dispatchers: {}, merges: {}, stops: [] };
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) {
      m.stops.push(id);
      continue;
    }
    if (JSON.stringify(old.dispatchers) !== JSON.stringify(now.dispatchers)) m.dispatchers[id] = now.dispatchers;
    const merges = mergeUpdates(old.upstreams, now.upstreams);
    if (merges.length > 0) m.merges[id] = merges;
  }
  return m;
}

function mergeUpdates(old: ActorDesc['upstreams'], now: ActorDesc['upstreams']): MergeUpdate[] {
  const out: MergeUpdate[] = [];
  const fragments = new Set([...Object.keys(old), ...Object.keys(now)].map(Number));
  for (const f of fragments) {
    const o = old[f] ?? [];
    const n = now[f] ?? [];
    const oldIds = new Set(o.map((u) => u.actorId));
    const newIds = new Set(n.map((u) => u.actorId));
    const added = n.filter((u) => !oldIds.has(u.actorId));
    const removed = o.filter((u) => !newIds.has(u.actorId)).map((u) => u.actorId);
    if (added.length > 0 || removed.length > 0) out.push({ upstreamFragmentId: f, added, removed });
  }
  return out;
}
