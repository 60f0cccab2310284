import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyVersion, versionFromJson, versionToJson } from './version.ts';
import { applyVersionDelta, deltaFromJson, deltaToJson, type HummockVersionDelta } from './version-delta.ts';
import { sstObjectPath, type SstInfo } from './sst-info.ts';

const sst = (id: number): SstInfo => ({
  id,
  objectPath: sstObjectPath('c1', id),
  smallestKey: '00',
  largestKey: 'ff',
  fileSize: 100,
  minEpoch: '1',
  maxEpoch: '18446744073709551615',
  tableIds: [1],
  keyCount: 3,
});

test('sst object path', () => {
  assert.equal(sstObjectPath('c1', 42), 'c1/sst/42.data');
});

test('applyVersionDelta appends L0 sub-levels newest last and removes ssts', () => {
  let v = emptyVersion();
  v = applyVersionDelta(v, { id: 1, prevId: 0, maxCommittedEpoch: 10n, safeEpoch: 0n, newL0SubLevel: { id: 1, ssts: [sst(1), sst(2)] } });
  v = applyVersionDelta(v, { id: 2, prevId: 1, maxCommittedEpoch: 20n, safeEpoch: 5n, newL0SubLevel: { id: 2, ssts: [sst(3)] } });
  assert.deepEqual(v.l0.map((s) => s.id), [1, 2]);
  assert.equal(v.maxCommittedEpoch, 20n);
  assert.equal(v.safeEpoch, 5n);
  const before = v;
  v = applyVersionDelta(v, { id: 3, prevId: 2, maxCommittedEpoch: 20n, safeEpoch: 5n, removedSstIds: [1, 2], addedToLevels: [{ level: 1, ssts: [sst(4)] }] });
  assert.deepEqual(v.l0.map((s) => s.id), [2]);
  assert.deepEqual(v.levels[0].map((s) => s.id), [4]);
  assert.equal(before.l0.length, 2, 'input version unchanged');
  assert.throws(() => applyVersionDelta(v, { id: 9, prevId: 7, maxCommittedEpoch: 0n, safeEpoch: 0n }));
});

test('version and delta JSON round trip keeps bigints', () => {
  const d: HummockVersionDelta = { id: 1, prevId: 0, maxCommittedEpoch: 2n ** 63n + 5n, safeEpoch: 3n, newL0SubLevel: { id: 1, ssts: [sst(1)] } };
  const d2 = deltaFromJson(deltaToJson(d));
  assert.deepEqual(d2, d);
  const v = applyVersionDelta(emptyVersion(), d);
  assert.deepEqual(versionFromJson(versionToJson(v)), v);
  assert.deepEqual(versionFromJson(JSON.parse(versionToJson(v))), v);
});
