import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInDatabase } from './cross-database.ts';

const databases = new Set(['dev', 'shop']);
const parse = (sql: string, db = 'dev') => parseInDatabase(sql, db, (n) => databases.has(n));
const tableOf = (sql: string, db?: string) => {
  const p = parse(sql, db);
  assert.equal(p.kind, 'ast');
  return JSON.stringify((p as { ast: unknown }).ast);
};

test("names qualified by the session's own database lose the prefix; other databases are 0A000", () => {
  assert.equal(tableOf('select * from dev.public.t'), tableOf('select * from public.t'));
  assert.equal(tableOf('select dev.public.t.a from dev.public.t'), tableOf('select public.t.a from public.t'));
  assert.equal(tableOf('select * from "shop".s.t', 'shop'), tableOf('select * from s.t', 'shop'));
  assert.throws(() => parse('select * from shop.public.t'), (e: { code?: string; message: string }) =>
    e.code === '0A000' && e.message === 'cross-database references are not implemented: shop.public.t');
  assert.throws(() => parse('insert into shop.public.t values (1)'), (e: { code?: string }) => e.code === '0A000');
});

test('other syntax errors stay syntax errors (a first part that names no database, strings, numbers)', () => {
  assert.throws(() => parse('select * from nosuch.public.t'), (e: { code?: string }) => e.code === '42601');
  assert.throws(() => parse("select 'shop.public.t' frm t"), (e: { code?: string }) => e.code === '42601');
  assert.throws(() => parse('selec 1.2.3'), (e: { code?: string }) => e.code === '42601');
  // A two-part name is a schema-qualified one even when the schema shares a database's name.
  assert.equal(parse('select * from shop.t').kind, 'ast');
});
