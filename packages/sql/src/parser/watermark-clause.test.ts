import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatement } from './parse-statement.ts';
import { liftWatermark } from './watermark-clause.ts';

test('WATERMARK FOR is lifted out of the column list, offsets kept', () => {
  const sql = "CREATE TABLE t (ts timestamp, v int, WATERMARK FOR ts AS ts - INTERVAL '5 seconds')";
  const lifted = liftWatermark(sql);
  assert.deepEqual(lifted.watermark, { column: 'ts', delayMicros: '5000000' });
  assert.equal(lifted.sql.length, sql.length);
  assert.match(lifted.sql, /^CREATE TABLE t \(ts timestamp, v int\s+\)$/);
  const first = liftWatermark('create table t (watermark for "Ts" as "Ts", "Ts" timestamptz)');
  assert.deepEqual(first.watermark, { column: 'Ts', delayMicros: '0' });
  assert.match(first.sql, /^create table t \(\s+"Ts" timestamptz\)$/);
});

test('CREATE TABLE/SOURCE carry the watermark; bad clauses are 42601 at the token', () => {
  const p = parseStatement("create source s (ts timestamp, watermark for ts as ts - interval '1' minute) with (connector = 'datagen') format plain encode json");
  assert.equal(p.kind, 'ast');
  if (p.kind !== 'ast') return;
  assert.equal(p.createSource, true);
  assert.deepEqual(p.watermark, { column: 'ts', delayMicros: '60000000' });
  assert.deepEqual(p.withOptions, { connector: 'datagen' });
  const bad = "create table t (ts timestamp, watermark for ts as other - interval '1 second')";
  assert.throws(() => parseStatement(bad), (e: { code: string; position: number }) => e.code === '42601' && e.position === bad.indexOf('other') + 1);
  assert.throws(() => parseStatement("create table t (ts timestamp, watermark for ts as ts * 2)"), { code: '42601' });
  assert.throws(() => parseStatement("create table t (ts timestamp, watermark for ts as ts - interval 'x')"), { code: '42601' });
});
