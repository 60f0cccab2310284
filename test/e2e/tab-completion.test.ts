// psql 15's tab completion for relation names sends this query (captured from psql); it must list
// the matching tables and views.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, rows, startPlayground, type Playground } from '../harness/cluster.ts';

const PSQL15_SELECTABLES = `SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE 'ord%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE 'ord%' AND n.nspname NOT LIKE E'pg\\\\_%'
LIMIT 1000`;

describe('psql tab completion', () => {
  let p: Playground | null = null;
  after(async () => p?.kill9());

  it('completes table and view names', { timeout: 60_000 }, async () => {
    p = await startPlayground();
    const c = await connect(p.port);
    await c.query('CREATE TABLE orders (id INT PRIMARY KEY, v INT)');
    await c.query('CREATE TABLE other (x INT)');
    await c.query('CREATE MATERIALIZED VIEW order_totals AS SELECT count(*) AS n FROM orders');
    await c.query('CREATE SCHEMA ordering');
    await c.query('CREATE TABLE ordering.ord_hidden (x INT)');
    const found = await rows(c, PSQL15_SELECTABLES);
    // Relations visible through search_path, then schemas (completed as `ordering.`).
    assert.deepEqual(found.filter((r) => r[0] !== null).map((r) => r[0]).sort(), ['order_totals', 'orders']);
    assert.deepEqual(found.filter((r) => r[0] === null).map((r) => r[1]), ['ordering']);
    await c.end();
  });
});
