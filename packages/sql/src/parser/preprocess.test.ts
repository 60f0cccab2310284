import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess, rewriteIntervals } from './preprocess.ts';

test('INTERVAL n UNIT becomes a single literal, offsets preserved', () => {
  assert.equal(rewriteIntervals("select interval '4' second"), "select interval '4 second'");
  assert.equal(rewriteIntervals("INTERVAL '1'   DAY + x"), "INTERVAL '1 DAY'   + x");
  assert.equal(rewriteIntervals("tumble(t, ts, interval '5' MINUTE)"), "tumble(t, ts, interval '5 MINUTE')");
  const src = "select interval '2'\n  hour, a from t";
  assert.equal(rewriteIntervals(src).length, src.length);
});

test('INTERVAL rewrite leaves other forms and quoted text alone', () => {
  for (const sql of [
    "select interval '4 second'",
    "select 'interval ''4'' second'",
    "select interval '4' as second",
    "select interval '4' /* c */ second",
    'select "interval" from t',
    "select interval '1' foo",
  ]) {
    assert.equal(rewriteIntervals(sql), sql);
  }
});

test('a trailing EMIT ON WINDOW CLOSE is stripped and flagged', () => {
  assert.deepEqual(preprocess('select a from t emit on window close'), { sql: 'select a from t', emitOnWindowClose: true });
  assert.deepEqual(preprocess('select a from t EMIT ON WINDOW CLOSE ;'), { sql: 'select a from t', emitOnWindowClose: true });
  assert.deepEqual(preprocess("select 'emit on window close'"), { sql: "select 'emit on window close'", emitOnWindowClose: false });
  assert.deepEqual(preprocess('select 1'), { sql: 'select 1', emitOnWindowClose: false });
});

test('IS [NOT] DISTINCT FROM becomes a stand-in operator, offsets and quoted text kept', () => {
  const src = "select a is distinct from b, c IS NOT DISTINCT FROM 'is distinct from' from t";
  const out = preprocess(src).sql;
  assert.equal(out, "select a @@               b, c ?&                   'is distinct from' from t");
  assert.equal(out.length, src.length);
  assert.equal(preprocess('select distinct a from t where b is not null').sql, 'select distinct a from t where b is not null');
});

test('decimal literals keep their scale and digits: ones a double would change become numeric text', () => {
  assert.equal(preprocess('select 2.50, 1.5, 0.1234567890123456789').sql, "select ('2.50'::numeric), 1.5, ('0.1234567890123456789'::numeric)");
  assert.equal(preprocess('select 1e3').sql, "select ('1e3'::numeric)");
  assert.equal(preprocess("select '2.50', t.x").sql, "select '2.50', t.x");
});
