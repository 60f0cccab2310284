import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamNode } from '@tributary/common';
import { planCreateMv } from './create-mv.ts';
import { TestCatalog, stmt } from './test-catalog.ts';

const plan = (cat: TestCatalog, sql: string) => planCreateMv('v', stmt(sql) as never, cat, { definition: sql });

function find(n: StreamNode, kind: StreamNode['kind']): StreamNode | undefined {
  if (n.kind === kind) return n;
  const kids = n.kind === 'hashJoin' || n.kind === 'dynamicFilter' ? [n.left, n.right] : n.kind === 'union' ? n.inputs : 'input' in n ? [n.input] : [];
  for (const k of kids) {
    const hit = find(k, kind);
    if (hit) return hit;
  }
  return undefined;
}

describe('temporal filters', () => {
  const cat = new TestCatalog();
  cat.createTable('CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMPTZ, lts TIMESTAMP, v INT)');

  it('reads the accepted forms as column, operator and offset', () => {
    const cases: Array<[string, string, string, string]> = [
      ["ts > now() - interval '1 hour'", 't.ts', '>', '-3600000000'],
      ["ts >= now() - interval '1 hour'", 't.ts', '>=', '-3600000000'],
      ["ts + interval '1 hour' > now()", 't.ts', '>', '-3600000000'],
      ["now() - interval '1 minute' < lts", 't.lts', '>', '-60000000'],
      ['ts > now()', 't.ts', '>', '0'],
      ["ts > current_timestamp + interval '1 second'", 't.ts', '>', '1000000'],
    ];
    for (const [where, column, op, offset] of cases) {
      const p = plan(cat, `SELECT id FROM t WHERE ${where} AND v > 1`);
      const df = find(p.graph.fragments.find((f) => find(f.node, 'dynamicFilter'))!.node, 'dynamicFilter');
      assert.ok(df && df.kind === 'dynamicFilter', where);
      assert.deepEqual([df.left.names[df.column], df.op, df.offsetMicros], [column, op, offset], where);
      // The state table is ordered by the time column first, then the stream key.
      assert.deepEqual(df.table.pk.map((i) => df.left.names[i]), [column, 't.id'], where);
    }
  });

  it('puts now() in its own singleton fragment, broadcast to the filter', () => {
    const p = plan(cat, "SELECT id FROM t WHERE ts > now() - interval '1 hour'");
    const nowFragment = p.graph.fragments.find((f) => f.node.kind === 'now')!;
    assert.deepEqual(nowFragment.distribution, { kind: 'single' });
    assert.deepEqual(p.graph.edges.find((e) => e.upstreamFragmentId === nowFragment.fragmentId)?.dist, { kind: 'broadcast' });
  });

  it('refuses other uses of now() with 0A000', () => {
    for (const sql of [
      'SELECT id, now() AS t FROM t',
      'SELECT id FROM t WHERE ts < now()',
      "SELECT id FROM t WHERE ts > now() OR v > 1",
      "SELECT id FROM t WHERE v > 1 AND ts > now() - v * interval '1 second'",
    ]) {
      assert.throws(() => plan(cat, sql), { code: '0A000' }, sql);
    }
  });
});
