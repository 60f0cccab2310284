import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal, formatDatum, type Datum } from '@tributary/common';
import { planDelete, planInsert, planUpdate } from './plan-dml.ts';
import { TestCatalog, stmt } from './test-catalog.ts';
import { runBatch } from './test-batch-run.ts';

const cat = new TestCatalog();
const t = cat.createTable('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR, amount BIGINT, price NUMERIC, ok BOOLEAN)');
const r = cat.createTable('CREATE TABLE r (v INT, w DOUBLE PRECISION)');
cat.createMv('m', 'SELECT v FROM r');
const tRows: Datum[][] = [[1, 'a', 10n, Decimal.fromBigInt(1n), true], [2, 'b', 20n, null, false]];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
  return 'no error';
}

const text = (types: string[], row: Datum[]) => row.map((d, i) => formatDatum(types[i] as never, d) ?? 'NULL').join('|');
const insert = (sql: string) => planInsert(stmt(sql) as never, cat);

describe('planInsert', () => {
  it('VALUES with implicit / assignment casts and missing columns', () => {
    const p = insert("INSERT INTO t (id, amount, price, name) VALUES (1, 5, 2.5, 'x'), (2 + 3, 7.6, 3, NULL)");
    assert.equal(p.table.id, t.id);
    const types = t.columns.map((c) => c.type);
    assert.deepEqual(p.rows!.map((row) => text(types, row)), ['1|x|5|2.5|NULL', '5|NULL|8|3|NULL']);
    assert.equal(typeof p.rows![0][2], 'bigint');
  });

  it('all columns, row id left null, DEFAULT', () => {
    const p = insert("INSERT INTO r VALUES (1, '2.5'), (DEFAULT, 3)");
    assert.deepEqual(p.rows, [[1, 2.5, null], [null, 3, null]]);
    const q = insert('INSERT INTO r VALUES (1)');
    assert.deepEqual(q.rows, [[1, null, null]]);
  });

  it('INSERT ... SELECT', () => {
    const p = insert('INSERT INTO r (w, v) SELECT amount, id FROM t WHERE ok');
    assert.ok(p.query);
    const out = runBatch(p.query, { t: tRows });
    assert.deepEqual(out, [[1, 10, null]]);
  });

  it('errors', () => {
    assert.equal(code(() => insert('INSERT INTO nope VALUES (1)')), '42P01 relation "nope" does not exist');
    assert.equal(code(() => insert('INSERT INTO t (id, zz) VALUES (1, 2)')), '42703 column "zz" of relation "t" does not exist');
    assert.equal(code(() => insert('INSERT INTO r (_row_id) VALUES (1)')), '42703 column "_row_id" of relation "r" does not exist');
    assert.equal(code(() => insert('INSERT INTO t (id) VALUES (true)')), '42804 column "id" is of type integer but expression is of type boolean');
    assert.equal(code(() => insert('INSERT INTO r VALUES (1, 2, 3)')), '42601 INSERT has more expressions than target columns');
    assert.equal(code(() => insert('INSERT INTO t (id, name) VALUES (1)')), '42601 INSERT has more target columns than expressions');
    assert.equal(code(() => insert("INSERT INTO t (id) VALUES ('x')")).slice(0, 5), '22P02');
    assert.equal(code(() => insert('INSERT INTO m VALUES (1)')), '42809 cannot change materialized view "m"');
    assert.equal(code(() => insert('INSERT INTO r SELECT t.id, 1 FROM t JOIN r ON true')), 'no error'); // a nested-loop join
    assert.equal(code(() => insert('INSERT INTO t (id, id) VALUES (1, 2)')), '42701 column "id" specified more than once');
    assert.equal(code(() => insert('INSERT INTO r (v) VALUES (2147483648)')).slice(0, 5), '22003');
    assert.equal(code(() => insert("INSERT INTO t (name) VALUES ('x')")),
      '23502 null value in column "id" of relation "t" violates not-null constraint');
  });
});

describe('planDelete / planUpdate', () => {
  it('DELETE scans full matching rows', () => {
    const p = planDelete(stmt('DELETE FROM t WHERE amount > 15') as never, cat);
    assert.deepEqual(runBatch(p.scan, { t: tRows }), [tRows[1]]);
    const all = planDelete(stmt('DELETE FROM r') as never, cat);
    assert.equal(all.scan.kind, 'scan');
    assert.deepEqual(all.scan.kind === 'scan' && all.scan.columns, [0, 1, 2]);
  });

  it('UPDATE computes new rows over the old ones', () => {
    const p = planUpdate(stmt("UPDATE t AS x SET amount = x.amount * 2, name = 'z' WHERE id = 1") as never, cat);
    assert.equal(p.pkChanged, false);
    const old = runBatch(p.scan, { t: tRows });
    assert.deepEqual(old, [tRows[0]]);
    const project = { kind: 'project' as const, schema: t.storage.columns, exprs: p.newRow, input: p.scan };
    const types = t.columns.map((c) => c.type);
    assert.deepEqual(runBatch(project, { t: tRows }).map((row) => text(types, row)), ['1|z|20|1|t']);
    const pk = planUpdate(stmt('UPDATE t SET id = id + 10') as never, cat);
    assert.equal(pk.pkChanged, true);
  });

  it('errors', () => {
    const upd = (sql: string) => code(() => planUpdate(stmt(sql) as never, cat));
    assert.equal(upd('UPDATE t SET nope = 1'), '42703 column "nope" of relation "t" does not exist');
    assert.equal(upd('UPDATE t SET ok = 1'), '42804 column "ok" is of type boolean but expression is of type integer');
    assert.equal(upd('UPDATE t SET id = 1, id = 2'), '42601 multiple assignments to same column "id"');
    assert.equal(upd('UPDATE t SET id = 1 WHERE name'), '42804 argument of WHERE must be type boolean, not type character varying');
    assert.equal(upd('UPDATE t SET id = 1 WHERE amount').slice(0, 5), '42804');
    assert.equal(code(() => planDelete(stmt('DELETE FROM m') as never, cat)), '42809 cannot change materialized view "m"');
  });
});
