import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDatum, type Datum } from '@tributary/common';
import { planSelect } from './plan-select.ts';
import { explainBatch } from './explain-batch.ts';
import { TestCatalog, stmt } from './test-catalog.ts';
import { runBatch, runBatchExecutors } from './test-batch-run.ts';

const cat = new TestCatalog();
cat.createTable('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR, amount INT, price DOUBLE PRECISION)');
const rows: Datum[][] = [
  [1, 'a', 10, 1.5],
  [2, 'b', 20, 2.5],
  [3, 'a', 30, null],
  [4, null, null, 4],
  [5, 'b', 5, 0.5],
];

/** Plans and runs `sql`; returns the PG text of each row and the fields. */
function query(sql: string) {
  const { plan, fields } = planSelect(stmt(sql) as never, cat);
  const out = runBatch(plan, { t: rows });
  return {
    fields: fields.map((f) => `${f.name}:${f.type}`),
    rows: out.map((r) => r.map((d, i) => formatDatum(fields[i].type, d) ?? 'NULL').join('|')),
    plan,
  };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
  return 'no error';
}

describe('planSelect', () => {
  it('where / order / limit with output names', () => {
    const r = query('SELECT id, name AS n, amount + 1 FROM t WHERE amount > 5 ORDER BY amount DESC LIMIT 2');
    assert.deepEqual(r.fields, ['id:integer', 'n:character varying', '?column?:integer']);
    assert.deepEqual(r.rows, ['3|a|31', '2|b|21']);
  });

  it('ORDER BY position, alias, expression not selected, NULLS FIRST, OFFSET', () => {
    assert.deepEqual(query('SELECT id FROM t ORDER BY price NULLS FIRST').rows, ['3', '5', '1', '2', '4']);
    assert.deepEqual(query('SELECT id AS k, name FROM t ORDER BY 2, k DESC').rows, ['3|a', '1|a', '5|b', '2|b', '4|NULL']);
    assert.deepEqual(query('SELECT id FROM t ORDER BY id LIMIT 2 OFFSET 1').rows, ['2', '3']);
    assert.deepEqual(query('SELECT id FROM t ORDER BY -id').rows, ['5', '4', '3', '2', '1']);
  });

  it('SELECT * expands visible columns', () => {
    const r = query('SELECT * FROM t WHERE id = 1');
    assert.deepEqual(r.fields, ['id:integer', 'name:character varying', 'amount:integer', 'price:double precision']);
    assert.deepEqual(r.rows, ['1|a|10|1.5']);
  });

  it('GROUP BY + aggregates + HAVING + avg', () => {
    const r = query('SELECT name, count(*), count(amount) AS c, sum(amount), min(amount), max(price), avg(amount), avg(price) FROM t GROUP BY name HAVING count(*) > 1 ORDER BY name');
    assert.deepEqual(r.fields, [
      'name:character varying', 'count:bigint', 'c:bigint', 'sum:bigint', 'min:integer', 'max:double precision',
      'avg:numeric', 'avg:double precision',
    ]);
    assert.deepEqual(r.rows, ['a|2|2|40|10|1.5|20.0000000000000000|1.5', 'b|2|2|25|5|2.5|12.5000000000000000|1.5']);
  });

  it('global aggregate over empty input yields one row', () => {
    const r = query('SELECT count(*), sum(amount), avg(amount) FROM t WHERE id > 100');
    assert.deepEqual(r.rows, ['0|NULL|NULL']);
  });

  it('GROUP BY expression and position; ORDER BY aggregate', () => {
    assert.deepEqual(query('SELECT amount % 2 AS odd, count(*) FROM t WHERE amount IS NOT NULL GROUP BY 1 ORDER BY 1').rows, ['0|3', '1|1']);
    assert.deepEqual(query('SELECT name FROM t GROUP BY name ORDER BY sum(amount) DESC NULLS LAST').rows, ['a', 'b', 'NULL']);
  });

  it('no FROM, casts, literals', () => {
    const r = query("SELECT 1 + 1, '5'::int * 2 AS x, 'abc', NULL, 2.50 * 2, 3000000000, true, CAST('1.5' AS double precision)");
    assert.deepEqual(r.fields, [
      '?column?:integer', 'x:integer', '?column?:character varying', '?column?:character varying',
      '?column?:numeric', '?column?:bigint', 'bool:boolean', 'float8:double precision',
    ]);
    assert.deepEqual(r.rows, ['2|10|abc|NULL|5.0|3000000000|t|1.5']);
  });

  it('functions: substring, coalesce, nullif, ||, numeric division', () => {
    const r = query("SELECT substring('hello' from 2 for 3), coalesce(NULL, 'a'), nullif(1, 1), 'a' || 1, 7 / 2, 7.0 / 2");
    assert.deepEqual(r.fields.map((f) => f.split(':')[0]), ['substring', 'coalesce', 'nullif', '?column?', '?column?', '?column?']);
    assert.deepEqual(r.rows, ['ell|a|NULL|a1|3|3.5000000000000000']);
  });

  it('BETWEEN, IN, NOT, IS NULL, CASE, LIKE', () => {
    assert.deepEqual(query('SELECT id FROM t WHERE amount BETWEEN 10 AND 20 ORDER BY id').rows, ['1', '2']);
    assert.deepEqual(query('SELECT id FROM t WHERE id IN (1, 3, 9) ORDER BY id').rows, ['1', '3']);
    assert.deepEqual(query('SELECT id FROM t WHERE NOT (id NOT IN (2, 4)) ORDER BY id').rows, ['2', '4']);
    assert.deepEqual(query('SELECT id FROM t WHERE name IS NULL').rows, ['4']);
    assert.deepEqual(query("SELECT id FROM t WHERE name LIKE 'b%' ORDER BY 1").rows, ['2', '5']);
    assert.deepEqual(query("SELECT CASE WHEN amount > 15 THEN 'big' ELSE 'small' END AS s FROM t ORDER BY id").rows,
      ['small', 'big', 'big', 'small', 'small']);
  });

  it('EXPLAIN text', () => {
    const { plan } = planSelect(stmt('SELECT name, sum(amount) FROM t WHERE id > 1 GROUP BY name ORDER BY 2 LIMIT 3') as never, cat);
    assert.equal(explainBatch(plan, cat), [
      'BatchLimit { limit: 3, offset: 0 }',
      '└─BatchSort { order: [sum(t.amount) ASC] }',
      '  └─BatchProject { exprs: [t.name, sum(t.amount)] }',
      '    └─BatchHashAgg { group_key: [t.name], aggs: [sum(t.amount)] }',
      '      └─BatchProject { exprs: [t.name, t.amount] }',
      '        └─BatchFilter { predicate: (t.id > 1:Int32) }',
      '          └─BatchScan { table: t, columns: [id, name, amount] }',
    ].join('\n'));
  });

  it('window functions: one BatchOverWindow per window, results in expressions and ORDER BY, over GROUP BY', async () => {
    const run = async (sql: string): Promise<string[]> => {
      const { plan, fields } = planSelect(stmt(sql) as never, cat);
      const out = await runBatchExecutors(plan, { t: rows });
      return out.map((r) => r.map((d, i) => formatDatum(fields[i].type, d) ?? 'NULL').join('|'));
    };
    const sql = 'SELECT id, row_number() OVER (PARTITION BY name ORDER BY id) + 1 AS r, sum(amount) OVER (PARTITION BY name), '
      + 'lag(amount, 1, -1) OVER (PARTITION BY name ORDER BY id) FROM t ORDER BY id';
    assert.deepEqual(await run(sql), ['1|2|40|-1', '2|2|25|-1', '3|3|40|10', '4|2|NULL|-1', '5|3|25|20']);
    assert.equal(explainBatch(planSelect(stmt(sql) as never, cat).plan, cat), [
      'BatchSort { order: [t.id ASC] }',
      '└─BatchProject { exprs: [t.id, (row_number() OVER(PARTITION BY t.name ORDER BY t.id ASC) + 1:Int64), sum(t.amount) OVER(PARTITION BY t.name), lag(t.amount, 1:Int32, -1:Int32) OVER(PARTITION BY t.name ORDER BY t.id ASC)] }',
      '  └─BatchOverWindow { window_functions: [sum(t.amount) OVER(PARTITION BY t.name)] }',
      '    └─BatchOverWindow { window_functions: [row_number() OVER(PARTITION BY t.name ORDER BY t.id ASC), lag(t.amount, 1:Int32, -1:Int32) OVER(PARTITION BY t.name ORDER BY t.id ASC)] }',
      '      └─BatchProject { exprs: [t.id, t.name, t.amount, 1:Int32, -1:Int32] }',
      '        └─BatchScan { table: t, columns: [id, name, amount] }',
    ].join('\n'));
    assert.deepEqual(await run('SELECT id FROM t ORDER BY rank() OVER (ORDER BY amount DESC), id'), ['4', '3', '2', '1', '5']);
    assert.deepEqual(await run('SELECT name, count(*), rank() OVER (ORDER BY count(*) DESC), avg(sum(amount)) OVER () FROM t GROUP BY name ORDER BY name'),
      ['a|2|1|32.5000000000000000', 'b|2|1|32.5000000000000000', 'NULL|1|3|32.5000000000000000']);
    const types = planSelect(stmt('SELECT rank() OVER (), sum(amount) OVER (), avg(amount) OVER (), cume_dist() OVER (), ntile(2) OVER () FROM t') as never, cat).fields;
    assert.deepEqual(types.map((f) => f.type), ['bigint', 'bigint', 'numeric', 'double precision', 'integer']);
  });

  it('window function errors', () => {
    assert.equal(code(() => query('SELECT id FROM t WHERE row_number() OVER () > 1')), '42P20 window functions are not allowed in WHERE');
    assert.equal(code(() => query('SELECT name FROM t GROUP BY name HAVING rank() OVER () > 1')), '42P20 window functions are not allowed in HAVING');
    assert.equal(code(() => query('SELECT lag(row_number() OVER ()) OVER () FROM t')), '42P20 window function calls cannot be nested');
    assert.equal(code(() => query('SELECT sum(row_number() OVER ()) FROM t')), '42803 aggregate function calls cannot contain window function calls');
    assert.equal(code(() => query('SELECT upper(name) OVER () FROM t')), '42809 OVER specified, but upper is not a window function nor an aggregate function');
    assert.equal(code(() => query('SELECT count(DISTINCT id) OVER () FROM t')), '0A000 DISTINCT is not implemented for window functions');
    assert.equal(code(() => query('SELECT row_number(id) OVER () FROM t')), '42883 function row_number(integer) does not exist');
  });

  it('errors', () => {
    assert.equal(code(() => query('SELECT x FROM t')), '42703 column "x" does not exist');
    assert.equal(code(() => query('SELECT u.id FROM t')), '42P01 missing FROM-clause entry for table "u"');
    assert.equal(code(() => query('SELECT * FROM nope')), '42P01 relation "nope" does not exist');
    assert.equal(code(() => query('SELECT id FROM t WHERE 1')), '42804 argument of WHERE must be type boolean, not type integer');
    assert.equal(code(() => query('SELECT name, amount FROM t GROUP BY name')),
      '42803 column "t.amount" must appear in the GROUP BY clause or be used in an aggregate function');
    assert.equal(code(() => query('SELECT id FROM t WHERE count(*) > 1')), '42803 aggregate functions are not allowed in WHERE');
    assert.equal(code(() => query('SELECT sum(count(*)) FROM t')), '42803 aggregate function calls cannot be nested');
    assert.equal(code(() => query('SELECT id FROM t ORDER BY 5')), '42P10 ORDER BY position 5 is not in select list');
    assert.equal(code(() => query('SELECT id + true FROM t')).slice(0, 5), '42883');
    assert.equal(code(() => query("SELECT id FROM t WHERE id = 'x'")).slice(0, 5), '22P02');
    assert.equal(code(() => query('SELECT * FROM t, t AS u')), 'no error'); // a nested-loop join
  });
});
