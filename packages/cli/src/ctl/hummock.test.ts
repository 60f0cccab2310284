import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyVersion } from '@tributary/storage/version';
import { formatSsts, formatVersion } from './hummock.ts';

test('ctl hummock formats a version and an SST list', () => {
  const v = { ...emptyVersion(), id: 7, maxCommittedEpoch: 900n, safeEpoch: 800n };
  const sst = { id: 12, objectPath: 'c/sst/12.data', smallestKey: '00', largestKey: 'ff', fileSize: 2 * 1048576, minEpoch: '1', maxEpoch: '9', tableIds: [1, 2], keyCount: 5 };
  v.l0 = [{ id: 3, ssts: [sst] }];
  const text = formatVersion(v);
  assert.match(text, /^version 7 {2}max committed epoch 900 {2}safe epoch 800$/m);
  assert.match(text, /^L0 +1 sub-levels +1 SSTs +2\.00 MiB$/m);
  assert.match(text, /^L6 +0 SSTs +0\.00 MiB$/m);
  const list = formatSsts([{ id: 12, level: 0, subLevel: 3, fileSize: 2097152, keyCount: 5, minEpoch: '1', maxEpoch: '9', tableIds: [1, 2] }]);
  assert.deepEqual(list.split('\n').map((l) => l.trim().split(/\s+/)), [
    ['id', 'level', 'size', 'keys', 'min', 'epoch', 'max', 'epoch', 'tables'],
    ['12', 'L0/3', '2097152', '5', '1', '9', '1,2'],
    ['(1', 'SSTs)'],
  ]);
});
