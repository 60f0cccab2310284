import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActorDesc, DispatcherDesc } from '@tributary/common';
import { updateMutation } from './update-mutation.ts';

const node = { kind: 'merge', upstreamFragmentId: 1, schema: [], names: [] } as unknown as ActorDesc['node'];
const desc = (actorId: number, upstreams: ActorDesc['upstreams'], dispatchers: DispatcherDesc[] = []): ActorDesc => ({
  actorId, fragmentId: 0, jobId: 0, node, actorIndex: 0, fragmentParallelism: 1, vnodes: [], upstreams, dispatchers,
});
const hash = (outputs: Array<[number, string]>): DispatcherDesc => ({
  kind: 'hash', downstreamFragmentId: 2, keys: [0], outputs: outputs.map(([actorId, address]) => ({ actorId, address })), vnodeMap: [0, 1],
});

test('moving actor 20 (fragment 2) to 21 on another node: upstream switches, downstream swaps its input, 20 stops', () => {
  const before = new Map([
    [10, desc(10, {}, [hash([[20, 'a'], [22, 'b']])])],
    [20, desc(20, { 1: [{ actorId: 10, address: 'a' }] })],
    [22, desc(22, { 1: [{ actorId: 10, address: 'a' }] })],
    [30, desc(30, { 2: [{ actorId: 20, address: 'a' }, { actorId: 22, address: 'b' }] })],
  ]);
  const after = new Map([
    [10, desc(10, {}, [hash([[21, 'c'], [22, 'b']])])],
    [21, desc(21, { 1: [{ actorId: 10, address: 'a' }] })],
    [22, desc(22, { 1: [{ actorId: 10, address: 'a' }] })],
    [30, desc(30, { 2: [{ actorId: 21, address: 'c' }, { actorId: 22, address: 'b' }] })],
  ]);
  assert.deepEqual(updateMutation(before, after), {
    kind: 'update',
    dispatchers: { 10: [hash([[21, 'c'], [22, 'b']])] },
    merges: { 30: [{ upstreamFragmentId: 2, added: [{ actorId: 21, address: 'c' }], removed: [20] }] },
    stops: [20],
  });
});

test('an unchanged graph needs nothing', () => {
  const g = new Map([[1, desc(1, { 5: [{ actorId: 2, address: 'x' }] }, [hash([[3, 'y']])])]]);
  assert.deepEqual(updateMutation(g, structuredClone(g)), { kind: 'update', dispatchers: {}, merges: {}, stops: [] });
});
