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
    const names = (await rows(c, PSQL15_SELECTABLES)).map((r) => r[0]).sort();
    assert.deepEqual(names, ['order_totals', 'orders']);
    await c.end();
  });
});
