import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements, splitStatementsWithOffsets } from './split-statements.ts';

const cases: Array<[string, string[]]> = [
  ['', []],
  ['   ', []],
  [';;; ;', []],
  ['-- only a comment', []],
  ['/* a */ ; -- b\n ;', []],
  ['select 1', ['select 1']],
  ['select 1;', ['select 1']],
  ['select 1; select 2;;', ['select 1', 'select 2']],
  ["select 'a;b'; select 2", ["select 'a;b'", 'select 2']],
  ["select 'it''s;'; x", ["select 'it''s;'", 'x']],
  ["select E'\\';'; x", ["select E'\\';'", 'x']],
  ["select e'a\\\\'; x", ["select e'a\\\\'", 'x']],
  ['select "a;""b"; x', ['select "a;""b"', 'x']],
  ['select $$a;b$$; x', ['select $$a;b$$', 'x']],
  ['select $tag$ $$;$$ ; $tag$; x', ['select $tag$ $$;$$ ; $tag$', 'x']],
  ['select $1; select $2', ['select $1', 'select $2']],
  ['select 1 -- c;omment\n; x', ['select 1 -- c;omment', 'x']],
  ['select /* a; /* nested; */ b; */ 1; x', ['select /* a; /* nested; */ b; */ 1', 'x']],
  ["select 'unterminated; x", ["select 'unterminated; x"]],
  ['select 1; -- trailing comment', ['select 1']],
  ['\n  select 1 \n;\n  select 2\n', ['select 1', 'select 2']],
];

for (const [input, expected] of cases) {
  test(`split ${JSON.stringify(input)}`, () => {
    assert.deepEqual(splitStatements(input), expected);
  });
}

test('offsets point at each statement in the original text', () => {
  const sql = 'select 1;\n  select 2 ; select 3';
  for (const piece of splitStatementsWithOffsets(sql)) {
    assert.equal(sql.slice(piece.offset, piece.offset + piece.sql.length), piece.sql);
  }
  assert.deepEqual(splitStatementsWithOffsets(sql).map((p) => p.offset), [0, 12, 23]);
});
