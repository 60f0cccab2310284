import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'pgsql-ast-parser';
import { bindSelect } from './bind-select.ts';
import { TestCatalog } from '../planner/test-catalog.ts';

const cat = new TestCatalog();
cat.createTable('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR, amount BIGINT)');
cat.createTable('CREATE TABLE r (v INT)');
const bind = (sql: string) => bindSelect(parse(sql)[0] as never, cat);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
  return 'no error';
}

describe('bindSelect', () => {
  it('inserts implicit casts and types unknown literals from context', () => {
    const b = bind("SELECT id + amount, id = '7', name || 'x' FROM t");
    assert.deepEqual(b.items[0], {
      kind: 'call', func: '+', type: 'bigint',
      args: [{ kind: 'call', func: 'cast', args: [{ kind: 'input', index: 0, type: 'integer' }], type: 'bigint' }, { kind: 'input', index: 2, type: 'bigint' }],
    });
    assert.deepEqual(b.items[1], {
      kind: 'call', func: '=', type: 'boolean',
      args: [{ kind: 'input', index: 0, type: 'integer' }, { kind: 'literal', value: 7, type: 'integer' }],
    });
    assert.equal(b.items[2].type, 'character varying');
  });

  it('literal types: integer, bigint, numeric; constant casts are folded', () => {
    const b = bind('SELECT 1, 3000000000, 1.5, 1::bigint, -2147483648');
    assert.deepEqual(b.items.map((e) => [e.kind, e.type]), [
      ['literal', 'integer'], ['literal', 'bigint'], ['literal', 'numeric'], ['literal', 'bigint'], ['literal', 'integer'],
    ]);
  });

  it('qualified refs, t.*, hidden columns by name, GROUP BY alias', () => {
    assert.deepEqual(bind('SELECT t.* FROM t').names, ['id', 'name', 'amount']);
    assert.deepEqual(bind('SELECT _row_id FROM r').items, [{ kind: 'input', index: 1, type: 'bigint' }]);
    const g = bind('SELECT amount % 2 AS parity, count(*) FROM t GROUP BY parity');
    assert.equal(g.agg?.groupKeys.length, 1);
    assert.deepEqual(g.items[0], { kind: 'input', index: 0, type: 'bigint' });
    // An input column wins over an output alias in GROUP BY (PostgreSQL rule).
    assert.equal(code(() => bind('SELECT name AS id, count(*) FROM t GROUP BY id')),
      '42803 column "t.name" must appear in the GROUP BY clause or be used in an aggregate function');
  });

  it('errors', () => {
    assert.equal(code(() => bind('SELECT nope FROM t')), '42703 column "nope" does not exist');
    assert.equal(code(() => bind('SELECT t.nope FROM t')), '42703 column t.nope does not exist');
    assert.equal(code(() => bind('SELECT id FROM t AS x WHERE t.id = 1')), '42P01 missing FROM-clause entry for table "t"');
    assert.equal(code(() => bind('SELECT * FROM t WHERE name')), '42804 argument of WHERE must be type boolean, not type character varying');
    assert.equal(code(() => bind('SELECT * FROM t WHERE id = 1 AND 2')), '42804 argument of AND must be type boolean, not type integer');
    assert.equal(code(() => bind('SELECT *')), '42601 SELECT * with no tables specified is not valid');
    assert.equal(code(() => bind('SELECT 1::foo')), '42704 type "foo" does not exist');
    assert.equal(code(() => bind('SELECT true::date')), '42846 cannot cast type boolean to date');
    assert.equal(code(() => bind('SELECT nosuch(1)')).slice(0, 5), '42883');
    assert.equal(code(() => bind('SELECT array_agg(name) FROM t')).slice(0, 5), '0A000');
    assert.equal(code(() => bind('SELECT string_agg(DISTINCT name, \',\') FROM t')), '0A000 string_agg(DISTINCT ...) is not supported yet');
    assert.equal(code(() => bind('WITH x AS (SELECT 1) SELECT * FROM x')), '0A000 WITH queries is not supported yet');
    assert.equal(code(() => bind('SELECT * FROM t, LATERAL (SELECT 1) AS s')), '0A000 LATERAL is not supported yet');
    assert.equal(code(() => bind('SELECT * FROM t, r AS t')), '42712 table name "t" specified more than once');
    assert.equal(code(() => bind('SELECT v FROM t JOIN r USING (v)')), '42703 column "v" specified in USING clause does not exist in left table');
    assert.equal(code(() => bind('SELECT id FROM t a JOIN t b ON a.id = b.id')), '42702 column reference "id" is ambiguous');
  });
});
