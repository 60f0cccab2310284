import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windowsOf, windowRows } from './time-window.ts';

test('tumble and hop windows, negative times included', () => {
  assert.deepEqual(windowsOf(12n, 5n, 5n), [[10n, 15n]]);
  assert.deepEqual(windowsOf(-1n, 5n, 5n), [[-5n, 0n]]);
  assert.deepEqual(windowsOf(12n, 10n, 5n), [[5n, 15n], [10n, 20n]]);
  assert.deepEqual(windowsOf(10n, 10n, 5n), [[5n, 15n], [10n, 20n]]);
  assert.deepEqual(windowRows([1, null], 1, 5n, 5n), [[1, null, null, null]]);
  assert.deepEqual(windowRows([1, null], 1, 10n, 5n), []);
});
