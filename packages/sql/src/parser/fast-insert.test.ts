import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'pgsql-ast-parser';
import { parseFastInsert } from './fast-insert.ts';

test('fast INSERT path yields the same AST as pgsql-ast-parser', () => {
  for (const sql of [
    "INSERT INTO t (a, b) VALUES (1, 'x'), (-2.5, NULL), (true, 99999999), (-3, 'it''s')",
    'INSERT INTO public.T VALUES (1)',
    'insert into "Weird" ("A", b) values (0.5, false);',
  ]) {
    assert.deepEqual(parseFastInsert(sql), JSON.parse(JSON.stringify(parse(sql)[0])), sql);
  }
});

test('fast INSERT path declines what it does not handle', () => {
  for (const sql of ['INSERT INTO t VALUES (1 + 2)', 'INSERT INTO t SELECT 1', "INSERT INTO t VALUES (E'x')", 'INSERT INTO t VALUES (1e5)', 'INSERT INTO t VALUES (1) RETURNING *', 'INSERT INTO t VALUES (99999999999999999999)']) {
    assert.equal(parseFastInsert(sql), null, sql);
  }
});
