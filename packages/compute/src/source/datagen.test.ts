import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datagenRow, parseDatagenOptions, randomLetters } from './datagen.ts';

/** The letters as the connector has always defined them: one step of the hash per character. */
function referenceLetters(h: number, length: number): string {
  let s = '';
  let x = h;
  for (let i = 0; i < length; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    s += String.fromCharCode(97 + (x % 26));
  }
  return s;
}

test('randomLetters: the same letters as the per-character definition, at every length', () => {
  for (const length of [0, 1, 10, 255, 256, 257, 2000, 5000, 3]) {
    for (const h of [0, 1, 0xdeadbeef, 123_456_789]) {
      const s = randomLetters(h, length);
      assert.equal(s.length, length);
      assert.equal(s, referenceLetters(h, length), `h=${h} length=${length}`);
    }
  }
});

test('randomLetters: a returned string is not changed by later calls (the scratch buffer is reused)', () => {
  const first = randomLetters(7, 2000);
  const copy = referenceLetters(7, 2000);
  randomLetters(8, 2000);
  randomLetters(9, 10_000);
  assert.equal(first, copy);
});

test('datagen rows: varchar values have the configured length, lowercase letters, replayable by offset', () => {
  const cfg = parseDatagenOptions(['id', 'pad'], ['bigint', 'character varying'], {
    'fields.id.kind': 'sequence',
    'fields.id.end': '99',
    'fields.pad.length': '2000',
    'datagen.split.num': '2',
  });
  const rows = [0n, 1n, 2n].map((k) => datagenRow(cfg, 1, k)!);
  assert.deepEqual(rows.map((r) => r[0]), [1n, 3n, 5n]);
  for (const r of rows) assert.match(r[1] as string, /^[a-z]{2000}$/);
  assert.notEqual(rows[0][1], rows[1][1]);
  assert.deepEqual(datagenRow(cfg, 1, 1n), rows[1]);
  assert.equal(datagenRow(cfg, 1, 50n), null);
});
