import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyVersion, type HummockVersion } from '../../version/version.ts';
import { applyVersionDelta } from '../../version/version-delta.ts';
import type { SstInfo } from '../../version/sst-info.ts';
import { fullKey, toHex, userKey } from '../../key/full-key.ts';
import { DEFAULT_COMPACTION_CONFIG, type CompactionConfig } from '../compaction-config.ts';
import { describeTask } from '../compact-task.ts';
import { pick, pickManual } from './picker.ts';
import { apply, isTaskValid } from './apply.ts';
import { pickReclaim } from './reclaim-picker.ts';

const enc = new TextEncoder();
/** SST `id` covering user keys [lo, hi] (single letters), `size` bytes. */
const sst = (id: number, lo: string, hi: string, size = 100): SstInfo => ({
  id,
  objectPath: `c/sst/${id}.data`,
  smallestKey: toHex(fullKey(userKey(1, 0, enc.encode(lo)), 9n)),
  largestKey: toHex(fullKey(userKey(1, 0, enc.encode(hi)), 1n)),
  fileSize: size,
  minEpoch: '1',
  maxEpoch: '9',
  tableIds: [1],
  keyCount: 1,
});

/** Version from a compact text: `L0: 1:a-c 2:b-d | 3:x-z` (sub-levels oldest first, split by `|`), `L1: 4:a-b`. */
function version(spec: Record<string, string>): HummockVersion {
  const v = emptyVersion();
  const parse = (s: string) =>
    s.trim().split(/\s+/).filter(Boolean).map((t) => {
      const [id, range, size] = t.split(/[:@]/);
      const [lo, hi] = range.split('-');
      return sst(Number(id), lo, hi, size ? Number(size) : 100);
    });
  if (spec.L0) v.l0 = spec.L0.split('|').map((s, i) => ({ id: i + 1, ssts: parse(s) }));
  for (let lv = 1; lv <= 6; lv++) if (spec[`L${lv}`]) v.levels[lv - 1] = parse(spec[`L${lv}`]);
  return v;
}

const cfg: CompactionConfig = { ...DEFAULT_COMPACTION_CONFIG, l0SubLevelCompactTrigger: 3, l1TargetBytes: 1000, levelSizeRatio: 10 };

const cases: { name: string; v: Record<string, string>; want: string | null; manual?: boolean; bottommost?: boolean }[] = [
  { name: 'empty version', v: {}, want: null },
  { name: 'L0 below trigger', v: { L0: '1:a-c | 2:b-d' }, want: null },
  { name: 'L0 below trigger, manual', v: { L0: '1:a-c | 2:b-d' }, manual: true, want: 'manual: L0[2,1] -> L1' },
  { name: 'L0 at trigger merges with overlapping L1', v: { L0: '1:a-c | 2:b-d | 3:c-e', L1: '4:a-b 5:m-n' }, want: 'l0-to-base: L0[3,2,1] + L1[4] -> L1', bottommost: true },
  { name: 'L0 trivial move of an isolated oldest sub-level', v: { L0: '1:x-z | 2:a-b | 3:b-c', L1: '4:m-n' }, want: 'trivial-move (trivial): L0[1] -> L1' },
  { name: 'isolated but self-overlapping sub-level is merged', v: { L0: '1:x-z 6:y-z | 2:a-b | 3:b-c' }, want: 'l0-to-base: L0[3,2,1,6] -> L1' },
  { name: 'not bottommost when L2 overlaps', v: { L0: '1:a-c | 2:b-d | 3:c-e', L2: '7:d-f' }, want: 'l0-to-base: L0[3,2,1] -> L1', bottommost: false },
  { name: 'L0 bounded by maxCompactionBytes (oldest first)', v: { L0: '1:a-c@1500000000 | 2:b-d@1500000000 | 3:c-e' }, want: 'l0-to-base: L0[1] -> L1' },
  { name: 'L1 under target', v: { L1: '1:a-b@400 2:c-d@500' }, want: null },
  { name: 'L1 over target picks the least-overlapping SST', v: { L1: '1:a-b@600 2:c-d@600', L2: '3:a-a@500 4:c-c@10' }, want: 'leveled: L1[2] + L2[4] -> L2', bottommost: true },
  { name: 'L1 over target, no overlap below: trivial move', v: { L1: '1:a-b@600 2:c-d@600', L2: '3:x-z' }, want: 'trivial-move (trivial): L1[1] -> L2' },
  { name: 'highest score wins', v: { L1: '1:a-b@1100', L2: '2:c-d@30000 3:e-f', L3: '4:c-c' }, want: 'trivial-move (trivial): L2[3] -> L3' },
];

for (const c of cases) {
  test(`pick: ${c.name}`, () => {
    const v = version(c.v);
    const t = c.manual ? pickManual(v, cfg) : pick(v, { ...cfg, maxCompactionBytes: 2_000_000_000 });
    assert.equal(t ? describeTask(t) : null, c.want);
    if (t && c.bottommost !== undefined) assert.equal(t.bottommost, c.bottommost);
    if (t) assert.ok(isTaskValid(v, t));
  });
}

test('apply: trivial move keeps the SSTs, removes emptied sub-levels, safe epoch only grows', () => {
  const v = { ...version({ L0: '1:x-z | 2:a-b | 3:b-c', L1: '4:m-n' }), id: 7, maxCommittedEpoch: 50n, safeEpoch: 10n };
  const t = pick(v, cfg)!;
  const d = apply(v, { ...t, safeEpoch: 5n }, t.inputs[0].ssts);
  assert.equal(d.prevId, 7);
  assert.equal(d.safeEpoch, 10n);
  const next = applyVersionDelta(v, d);
  assert.deepEqual(next.l0.map((sl) => sl.id), [2, 3]);
  assert.deepEqual(next.levels[0].map((s) => s.id), [4, 1]);
  assert.equal(next.maxCommittedEpoch, 50n);
});

test('apply: a merge replaces inputs with outputs; a stale task is rejected', () => {
  const v = version({ L0: '1:a-c | 2:b-d | 3:c-e', L1: '4:a-b 5:m-n' });
  const t = pick(v, cfg)!;
  const out = [sst(10, 'a', 'c'), sst(11, 'd', 'e')];
  const next = applyVersionDelta(v, apply(v, t, out));
  assert.equal(next.l0.length, 0);
  assert.deepEqual(next.levels[0].map((s) => s.id), [10, 11, 5]);
  // A new L0 sub-level meanwhile does not invalidate the task; losing an input does.
  const withCommit = applyVersionDelta(v, { id: 1, prevId: 0, maxCommittedEpoch: 60n, safeEpoch: 0n, newL0SubLevel: { id: 9, ssts: [sst(12, 'a', 'z')] } });
  assert.ok(isTaskValid(withCommit, t));
  assert.deepEqual(applyVersionDelta(withCommit, apply(withCommit, t, out)).l0.map((sl) => sl.id), [9]);
  assert.equal(isTaskValid(next, t), false);
  assert.throws(() => apply(next, t, out), /no longer applies/);
});

test('pickReclaim: the first SST below L0 holding a dropped table, rewritten at its own level', () => {
  const v = version({ L0: '1:a-c', L1: '2:a-b 3:c-d', L2: '4:a-z' });
  v.levels[0][1] = { ...v.levels[0][1], tableIds: [1, 7] };
  v.levels[1][0] = { ...v.levels[1][0], tableIds: [7] };
  v.l0[0].ssts[0] = { ...v.l0[0].ssts[0], tableIds: [7] };
  assert.equal(pickReclaim(v, new Set(), cfg), null);
  assert.equal(pickReclaim(v, new Set([9]), cfg), null);
  const t = pickReclaim(v, new Set([7]), cfg)!;
  assert.equal(describeTask(t), 'space-reclaim: L1[3] -> L1');
  assert.equal(t.bottommost, false, 'L2 overlaps it');
  assert.ok(isTaskValid(v, t));
  // An SST holding only the dropped table leaves no output.
  const after = applyVersionDelta(v, apply(v, t, []));
  assert.deepEqual(after.levels[0].map((s) => s.id), [2]);
  assert.equal(describeTask(pickReclaim(after, new Set([7]), cfg)!), 'space-reclaim: L2[4] -> L2');
});
