import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CreateTableStatement } from 'pgsql-ast-parser';
import { planCreateTable } from './create-table.ts';
import { stmt } from './test-catalog.ts';

const plan = (sql: string) => planCreateTable(stmt(sql) as CreateTableStatement, { definition: sql });

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}

describe('planCreateTable', () => {
  it('table with a primary key', () => {
    const { catalog, graph, explain } = plan('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR, amount DOUBLE PRECISION, ok BOOLEAN, ts TIMESTAMP, n NUMERIC(10,2), b BIGINT)');
    assert.deepEqual(catalog.columns.map((c) => [c.name, c.type, c.hidden]), [
      ['id', 'integer', false], ['name', 'character varying', false], ['amount', 'double precision', false],
      ['ok', 'boolean', false], ['ts', 'timestamp without time zone', false], ['n', 'numeric', false], ['b', 'bigint', false],
    ]);
    assert.equal(catalog.id, -1);
    assert.equal(catalog.kind, 'table');
    assert.equal(catalog.rowIdIndex, null);
    assert.deepEqual(catalog.userPk, [0]);
    assert.deepEqual(catalog.storage, {
      tableId: -1, name: 't', columns: catalog.columns.map((c) => c.type), pk: [0], pkOrders: ['asc'], distKey: [0],
    });
    assert.equal(graph.fragments.length, 1);
    assert.deepEqual(graph.edges, []);
    const f = graph.fragments[0];
    assert.deepEqual(f.distribution, { kind: 'hash', keys: [0] });
    assert.equal(f.node.kind, 'materialize');
    if (f.node.kind !== 'materialize') return;
    assert.equal(f.node.conflict, 'overwrite');
    assert.equal(f.node.table.tableId, -1);
    assert.equal(f.node.input.kind, 'dml');
    assert.deepEqual(f.node.input.kind === 'dml' && f.node.input.tableId, -1);
    assert.match(explain, /^StreamMaterialize \{ columns: \[id, name, amount, ok, ts, n, b\], stream_key: \[id\], pk_columns: \[id\], pk_conflict: Overwrite \}\n└─StreamDml/);
  });

  it('table constraint primary key (composite)', () => {
    const { catalog } = plan('CREATE TABLE t (a INT, b VARCHAR, c INT, PRIMARY KEY (b, a))');
    assert.deepEqual(catalog.userPk, [1, 0]);
    assert.deepEqual(catalog.storage.pk, [1, 0]);
    assert.deepEqual(catalog.storage.distKey, [1, 0]);
  });

  it('table without a primary key gets a hidden _row_id', () => {
    const { catalog, graph, explain } = plan('CREATE TABLE t (v INT, w TEXT)');
    assert.deepEqual(catalog.columns.at(-1), { name: '_row_id', type: 'bigint', hidden: true });
    assert.equal(catalog.rowIdIndex, 2);
    assert.deepEqual(catalog.userPk, []);
    assert.deepEqual(catalog.storage.pk, [2]);
    assert.deepEqual(catalog.storage.distKey, [2]);
    assert.equal(catalog.storage.distKeyIsRowId, true);
    const root = graph.fragments[0].node;
    assert.equal(root.kind === 'materialize' && root.input.kind, 'rowIdGen');
    assert.equal(root.kind === 'materialize' && root.input.kind === 'rowIdGen' && root.input.rowIdIndex, 2);
    assert.deepEqual(graph.fragments[0].distribution, { kind: 'hash', keys: [2] });
    assert.equal(explain, [
      'StreamMaterialize { columns: [v, w, _row_id(hidden)], stream_key: [_row_id], pk_columns: [_row_id], pk_conflict: Overwrite }',
      '└─StreamRowIdGen { row_id_index: 2 }',
      '  └─StreamDml { columns: [v, w, _row_id] }',
    ].join('\n'));
  });

  it('errors', () => {
    assert.equal(code(() => plan('CREATE TABLE t (a INT, a TEXT)')), '42701');
    assert.equal(code(() => plan('CREATE TABLE t (a FOO)')), '42704');
    assert.throws(() => plan('CREATE TABLE t (a FOO)'), /type "foo" does not exist/);
    assert.equal(code(() => plan('CREATE TABLE t (a INT PRIMARY KEY, PRIMARY KEY (a))')), '42000');
    assert.equal(code(() => plan('CREATE TABLE t (a INT, PRIMARY KEY (b))')), '42703');
    assert.equal(code(() => plan('CREATE TABLE t (a INT UNIQUE)')), '0A000');
  });
});
