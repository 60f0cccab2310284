import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDatum, type Datum } from '@tributary/common';
import { planSelect } from './plan-select.ts';
import { explainBatch } from './explain-batch.ts';
import { TestCatalog, stmt } from './test-catalog.ts';
import { runBatch } from './test-batch-run.ts';

const cat = new TestCatalog();
cat.createTable('CREATE TABLE t (id INT PRIMARY KEY, k INT, v INT)');
cat.createTable('CREATE TABLE s (k INT, w INT)');
const tables: Record<string, Datum[][]> = {
  t: [[1, 1, 10], [2, 2, 20], [3, null, 30], [4, 4, 5]],
  s: [[1, 15, 0n], [2, 5, 1n], [null, 7, 2n]],
};

function rows(sql: string, data = tables): string[] {
  const { plan, fields } = planSelect(stmt(sql) as never, cat);
  return runBatch(plan, data).map((r) => r.map((d, i) => formatDatum(fields[i].type, d) ?? 'NULL').join('|')).sort();
}

describe('batch subqueries', () => {
  it('EXISTS / IN / NOT EXISTS, correlated through WHERE equalities and other conditions', () => {
    assert.deepEqual(rows('SELECT id, v FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.k = t.k AND s.w > t.v)'), ['1|10']);
    assert.deepEqual(rows('SELECT id FROM t WHERE k IN (SELECT k FROM s WHERE w > 1)'), ['1', '2']);
    assert.deepEqual(rows('SELECT id FROM t WHERE NOT EXISTS (SELECT 1 FROM s WHERE s.k = t.k)'), ['3', '4']);
    assert.deepEqual(rows('SELECT id FROM t WHERE NOT (k IN (SELECT k FROM s WHERE k IS NOT NULL))'), ['4']);
  });

  it('NOT IN follows PostgreSQL NULL semantics', () => {
    assert.deepEqual(rows('SELECT id FROM t WHERE k NOT IN (SELECT k FROM s)'), []);
    assert.deepEqual(rows('SELECT id FROM t WHERE k NOT IN (SELECT k FROM s WHERE k IS NOT NULL)'), ['4']);
    assert.deepEqual(rows('SELECT id FROM t WHERE k NOT IN (SELECT k FROM s)', { ...tables, s: [] }), ['1', '2', '3', '4']);
    assert.match(explainBatch(planSelect(stmt('SELECT id FROM t WHERE k NOT IN (SELECT k FROM s)') as never, cat).plan, cat), /BatchHashJoin \{ type: LeftAnti, predicate: t.k = s.k \}/);
  });

  it('scalar subqueries in WHERE and SELECT, with and without FROM', () => {
    assert.deepEqual(rows('SELECT id, v FROM t WHERE v > (SELECT avg(w) FROM s)'), ['1|10', '2|20', '3|30']);
    assert.deepEqual(rows('SELECT id, (SELECT max(w) FROM s) AS m FROM t WHERE id < 3'), ['1|15', '2|15']);
    assert.deepEqual(rows('SELECT (SELECT max(w) FROM s) AS m'), ['15']);
  });
});
