import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Datum } from '@tributary/common';
import { FilterExecutor } from './filter.ts';
import { ProjectExecutor } from './project.ts';
import { collect, prettyLines, sourceOf } from './test-utils.ts';

/** `col1 > 10`, NULL when col1 is NULL. */
const gt10 = (cols: Datum[][], n: number): Datum[] =>
  Array.from({ length: n }, (_, i) => (cols[1][i] === null ? null : (cols[1][i] as bigint) > 10n));

test('filter keeps true rows and splits update pairs', async () => {
  const src = sourceOf(['bigint', 'bigint'], [
    ' I I\n + 1 11\n + 2 5\n + 3 .\n U- 4 5\n U+ 4 15\n U- 5 15\n U+ 5 5\n U- 6 20\n U+ 6 30\n U- 7 1\n U+ 7 2\n - 8 50',
    1n,
  ]);
  assert.deepEqual(await collect(new FilterExecutor(src, gt10)), [
    ...prettyLines(' I I\n + 1 11\n + 4 15\n - 5 15\n U- 6 20\n U+ 6 30\n - 8 50'),
    'barrier 1',
  ]);
});

test('project evaluates expressions and keeps ops', async () => {
  const src = sourceOf(['bigint', 'bigint'], [' I I\n + 1 2\n U- 1 2\n U+ 1 3', 1n]);
  const sum = (cols: Datum[][], n: number): Datum[] =>
    Array.from({ length: n }, (_, i) => (cols[0][i] as bigint) + (cols[1][i] as bigint));
  const proj = new ProjectExecutor(src, ['bigint'], [sum]);
  assert.deepEqual(await collect(proj), [...prettyLines(' I\n + 3\n U- 3\n U+ 4'), 'barrier 1']);
});
