import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUtility } from './utility-statement.ts';

test('settings, transactions, COPY and user statements', () => {
  assert.deepEqual(parseUtility("SET search_path TO '$user', public"), { kind: 'set', name: 'search_path', value: '$user, public', local: false });
  assert.deepEqual(parseUtility("set time zone 'Europe/Paris'"), { kind: 'set', name: 'timezone', value: 'Europe/Paris', local: false });
  assert.deepEqual(parseUtility('SET statement_timeout = 5000'), { kind: 'set', name: 'statement_timeout', value: '5000', local: false });
  assert.deepEqual(parseUtility('set implicit_flush = default'), { kind: 'set', name: 'implicit_flush', value: null, local: false });
  assert.deepEqual(parseUtility('set extra_float_digits = -3'), { kind: 'set', name: 'extra_float_digits', value: '-3', local: false });
  assert.deepEqual(parseUtility('set backfill_rate_limit to +500'), { kind: 'set', name: 'backfill_rate_limit', value: '500', local: false });
  assert.deepEqual(parseUtility('RESET ALL'), { kind: 'reset', name: 'all' });
  assert.deepEqual(parseUtility('start transaction isolation level serializable, read only'), { kind: 'begin', readOnly: true });
  assert.deepEqual(parseUtility('END'), { kind: 'commit' });
  assert.deepEqual(parseUtility('copy t (a, b) from stdin with (format csv, header true, delimiter \';\', null \'-\')'), {
    kind: 'copy_from', table: 't', columns: ['a', 'b'],
    options: new Map([['format', 'csv'], ['header', 'true'], ['delimiter', ';'], ['null', '-']]),
  });
  assert.deepEqual(parseUtility('copy (select 1, \')\') to stdout csv header'), {
    kind: 'copy_to', table: null, columns: null, query: "select 1, ')'", options: new Map([['format', 'csv'], ['header', 'true']]),
  });
  assert.throws(() => parseUtility("copy t from '/etc/passwd'"), (e: { code: string }) => e.code === '42601');
  assert.deepEqual(parseUtility("create user Bob with login password 'p''w'"), { kind: 'create_user', name: 'bob', password: "p'w", superuser: null });
  assert.deepEqual(parseUtility('drop role if exists a, b'), { kind: 'drop_user', names: ['a', 'b'], ifExists: true });
  assert.deepEqual(parseUtility('grant all privileges on table t to a'), {
    kind: 'grant', revoke: false, privileges: ['select', 'insert', 'update', 'delete'], tables: ['t'], users: ['a'],
  });
  assert.equal(parseUtility('select 1'), undefined);
  assert.equal(parseUtility('create table t (a int)'), undefined);
});
