import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, ParseError, type ParsedStatement } from './index.ts';

function ast(sql: string): { type: string } & Record<string, unknown> {
  const parsed = parseStatement(sql);
  assert.equal(parsed.kind, 'ast', sql);
  return (parsed as Extract<ParsedStatement, { kind: 'ast' }>).ast as unknown as { type: string } & Record<string, unknown>;
}

function syntaxError(sql: string): ParseError {
  try {
    parseStatement(sql);
  } catch (err) {
    assert.ok(err instanceof ParseError, `${sql}: ${String(err)}`);
    assert.equal(err.code, '42601');
    return err;
  }
  assert.fail(`expected a syntax error: ${sql}`);
}

test('CREATE TABLE with PRIMARY KEY and the common types', () => {
  const t = ast(`CREATE TABLE orders (id BIGINT PRIMARY KEY, name VARCHAR, price DOUBLE PRECISION,
    paid BOOLEAN, ts TIMESTAMP, amount NUMERIC, qty INT)`);
  assert.equal(t.type, 'create table');
  const columns = t.columns as Array<{ name: { name: string }; dataType: { name: string }; constraints?: Array<{ type: string }> }>;
  assert.deepEqual(columns.map((c) => c.dataType.name), ['bigint', 'varchar', 'double precision', 'boolean', 'timestamp', 'numeric', 'int']);
  assert.equal(columns[0].constraints?.[0].type, 'primary key');
  const tableKey = ast('create table t (a int, b varchar, primary key (a))');
  assert.equal((tableKey.constraints as Array<{ type: string }>)[0].type, 'primary key');
});

test('INSERT multi-row VALUES, UPDATE and DELETE with WHERE', () => {
  const ins = ast("INSERT INTO t VALUES (1, 'a', 1.5, true), (2, NULL, -3, false);");
  assert.equal(ins.type, 'insert');
  assert.equal((ins.insert as { values: unknown[] }).values.length, 2);
  const upd = ast("UPDATE t SET b = 'z', c = c + 1 WHERE a = 1");
  assert.equal(upd.type, 'update');
  assert.ok(upd.where);
  const del = ast('DELETE FROM t WHERE a > 1 AND b IS NULL');
  assert.equal(del.type, 'delete');
  assert.ok(del.where);
});

test('SELECT with WHERE, ORDER BY, LIMIT', () => {
  const s = ast('SELECT a, b FROM t WHERE a >= 2 ORDER BY b DESC, a LIMIT 10');
  assert.equal(s.type, 'select');
  assert.equal((s.orderBy as unknown[]).length, 2);
  assert.deepEqual((s.limit as { limit: { value: number } }).limit.value, 10);
});

test('CREATE MATERIALIZED VIEW with GROUP BY and aggregates', () => {
  const sql = `CREATE MATERIALIZED VIEW mv AS SELECT k, count(*) AS n, sum(v), min(v), max(v), avg(v)
    FROM t GROUP BY k`;
  const mv = parseStatement(sql);
  assert.equal(mv.kind, 'create_mv');
  if (mv.kind !== 'create_mv') return;
  assert.equal(mv.name, 'mv');
  assert.equal(mv.ifNotExists, false);
  assert.equal(mv.emitOnWindowClose, false);
  assert.equal(mv.query.type, 'select');
  assert.ok(mv.querySql.startsWith('SELECT k, count(*)'));
  const fns = (mv.query as { columns: Array<{ expr: { function?: { name: string } } }> }).columns.map((c) => c.expr.function?.name);
  assert.deepEqual(fns, [undefined, 'count', 'sum', 'min', 'max', 'avg']);
});

test('CREATE MATERIALIZED VIEW variants', () => {
  const mv = parseStatement(`create materialized view if not exists "S".Win as
    select window_start, count(*) from tumble(bids, ts, interval '1' minute) group by window_start
    emit on window close;`);
  assert.equal(mv.kind, 'create_mv');
  if (mv.kind !== 'create_mv') return;
  assert.equal(mv.name, 'S.win');
  assert.equal(mv.ifNotExists, true);
  assert.equal(mv.emitOnWindowClose, true);
  assert.ok(mv.querySql.includes("interval '1 minute'"));
  assert.equal(parseStatement('create materialized view u as select 1 union all select 2').kind, 'create_mv');
  syntaxError('create materialized view m as insert into t values (1)');
  syntaxError('create materialized view m as');
});

test('FLUSH, SHOW, DESCRIBE', () => {
  assert.deepEqual(parseStatement('FLUSH'), { kind: 'flush' });
  assert.deepEqual(parseStatement('flush;'), { kind: 'flush' });
  assert.deepEqual(parseStatement('SHOW TABLES'), { kind: 'show', what: 'tables' });
  assert.deepEqual(parseStatement('show materialized views'), { kind: 'show', what: 'materialized views' });
  assert.deepEqual(parseStatement('SHOW SOURCES'), { kind: 'show', what: 'sources' });
  assert.deepEqual(parseStatement('SHOW VIEWS'), { kind: 'show', what: 'views' });
  assert.deepEqual(parseStatement('SHOW JOBS'), { kind: 'show', what: 'jobs' });
  assert.deepEqual(parseStatement('SHOW DATABASES'), { kind: 'show', what: 'databases' });
  assert.deepEqual(parseStatement('SHOW SCHEMAS'), { kind: 'show', what: 'schemas' });
  assert.deepEqual(parseStatement('SHOW TABLES FROM public'), { kind: 'show', what: 'tables', name: 'public' });
  assert.deepEqual(parseStatement('SHOW COLUMNS FROM Orders'), { kind: 'show', what: 'columns', name: 'orders' });
  assert.deepEqual(parseStatement('SHOW server_version'), { kind: 'show', what: 'parameter', name: 'server_version' });
  assert.deepEqual(parseStatement('show time zone'), { kind: 'show', what: 'parameter', name: 'timezone' });
  assert.deepEqual(parseStatement('DESCRIBE t'), { kind: 'describe', name: 't' });
  assert.deepEqual(parseStatement('/* hi */ describe public."T"'), { kind: 'describe', name: 'public.T' });
  syntaxError('flush now');
  syntaxError('show columns t');
});

test('DROP forms', () => {
  assert.deepEqual(parseStatement('DROP TABLE t CASCADE'), { kind: 'drop', objectKind: 'table', names: ['t'], ifExists: false, cascade: true });
  assert.deepEqual(parseStatement('drop materialized view if exists a, s.b restrict'), {
    kind: 'drop', objectKind: 'materialized view', names: ['a', 's.b'], ifExists: true, cascade: false,
  });
  for (const kind of ['view', 'source', 'sink', 'index'] as const) {
    assert.deepEqual(parseStatement(`DROP ${kind.toUpperCase()} x`), { kind: 'drop', objectKind: kind, names: ['x'], ifExists: false, cascade: false });
  }
  syntaxError('drop table');
  syntaxError('drop table a b');
});

test('EXPLAIN', () => {
  const e = parseStatement('EXPLAIN CREATE MATERIALIZED VIEW mv AS SELECT k, count(*) FROM t GROUP BY k');
  assert.equal(e.kind, 'explain');
  if (e.kind !== 'explain') return;
  assert.equal(e.statement.kind, 'create_mv');
  assert.equal(e.sql, 'CREATE MATERIALIZED VIEW mv AS SELECT k, count(*) FROM t GROUP BY k');
  const v = parseStatement('explain (verbose, format text) select 1');
  assert.equal(v.kind === 'explain' && v.verbose, true);
  const s = parseStatement('EXPLAIN VERBOSE SELECT a FROM t');
  assert.equal(s.kind === 'explain' && s.statement.kind, 'ast');
  const err = syntaxError('explain select 1 frm t');
  assert.equal(err.position, 'explain select 1 frm '.length + 1);
  syntaxError('explain');
});

test('transaction control, SET and SHOW parameter', () => {
  assert.equal(ast('BEGIN').type, 'begin');
  assert.equal(ast('COMMIT').type, 'commit');
  assert.equal(ast('ROLLBACK').type, 'rollback');
  assert.equal(ast('SET x = y').type, 'set');
  assert.equal(ast("SET TIME ZONE 'UTC'").type, 'set timezone');
  assert.deepEqual(parseStatement('SHOW x'), { kind: 'show', what: 'parameter', name: 'x' });
});

test('INTERVAL n UNIT parses as an interval literal', () => {
  const s = ast("select ts + interval '4' second from t");
  const col = (s.columns as Array<{ expr: { right: { operand: { value: string } } }; alias?: unknown }>)[0];
  assert.equal(col.alias, undefined);
  assert.equal(col.expr.right.operand.value, '4 second');
});

test('garbage and errors become 42601 with a position', () => {
  const e1 = syntaxError('garbage in here');
  assert.equal(e1.message, 'syntax error at or near "in"');
  assert.equal(e1.position, 9);
  const e2 = syntaxError('select 1 from');
  assert.equal(e2.message, 'syntax error at end of input');
  const e3 = syntaxError("select 'abc");
  assert.match(e3.message, /syntax error at or near "'abc"/);
  syntaxError('selec 1');
  syntaxError('#$%^&');
  syntaxError('select 1; select 2');
  syntaxError('');
  syntaxError('CREATE TABLE (');
  syntaxError('select a from t emit on window close extra');
  syntaxError('flush emit on window close');
});

test('a leading statement offset shifts the error position', () => {
  const e = syntaxError('  \n garbage in here');
  assert.equal(e.position, 4 + 9);
});

test('window frame clauses and named windows (which pgsql-ast-parser cannot read) are 0A000; a plain syntax error stays 42601', () => {
  const code = (sql: string): string => {
    try {
      parseStatement(sql);
    } catch (err) {
      return `${(err as { code: string }).code} ${(err as Error).message}`;
    }
    return 'parsed';
  };
  assert.equal(code('SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t'),
    '0A000 window frame clauses (ROWS / RANGE / GROUPS) is not supported yet');
  assert.equal(code('CREATE MATERIALIZED VIEW m AS SELECT sum(v) OVER (PARTITION BY g ORDER BY id RANGE UNBOUNDED PRECEDING) FROM t'),
    '0A000 window frame clauses (ROWS / RANGE / GROUPS) is not supported yet');
  assert.equal(code('SELECT sum(v) OVER w FROM t WINDOW w AS (ORDER BY id)'), '0A000 named windows (WINDOW w AS ..., OVER w) is not supported yet');
  assert.equal(code('SELECT sum(v) OVER (PARTITION BY g ORDER BY id) FROM t'), 'parsed');
  assert.equal(syntaxError('SELECT sum(v) OVER (ORDER BY id) FRM t').code, '42601');
});
