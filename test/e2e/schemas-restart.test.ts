// Schemas, databases and NOT NULL columns live in meta's store: a playground killed with -9 and
// restarted on the same --data-dir still has them (and the rows of a table in a user schema), each
// database still holding only its own schemas and relations.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, rows, startPlayground, tmpDir, type Playground } from '../harness/cluster.ts';

describe('schemas and databases survive a restart', { timeout: 120_000 }, () => {
  const dataDir = tmpDir('tributary-schemas-');
  let pg: Playground | undefined;
  after(async () => { await pg?.kill9(); });

  it('keeps schemas, databases, NOT NULL and qualified relations', async () => {
    pg = await startPlayground({ dataDir });
    let c = await connect(pg.port);
    await c.query('create schema sales');
    await c.query('create database analytics');
    await c.query('create table sales.orders (id int primary key, customer varchar not null, amount bigint)');
    await c.query('create materialized view sales.totals as select customer, sum(amount) as total from sales.orders group by customer');
    await c.query("insert into sales.orders values (1, 'ann', 10), (2, 'bob', 5), (3, 'ann', 7)");
    await c.query('flush');
    await c.end();
    // analytics has its own sales.orders (other columns) and a view over it.
    let a = await connect(pg.port, { database: 'analytics' });
    await a.query('create schema sales');
    await a.query('create table sales.orders (id int primary key, region varchar)');
    await a.query('create materialized view by_region as select region, count(*) as n from sales.orders group by region');
    await a.query("insert into sales.orders values (1, 'north'), (2, 'north')");
    await a.query('flush');
    await a.end();
    await pg.kill9();

    pg = await startPlayground({ dataDir });
    c = await connect(pg.port);
    try {
      assert.deepEqual(await rows(c, "select nspname from pg_namespace where nspname in ('public', 'sales') order by 1"), [['public'], ['sales']]);
      assert.deepEqual(await rows(c, 'select datname from pg_database order by 1'), [['analytics'], ['dev']]);
      assert.deepEqual(await rows(c, 'select customer, total from sales.totals order by customer'), [['ann', '17'], ['bob', '5']]);
      assert.deepEqual(await rows(c, "select column_name, is_nullable from information_schema.columns where table_schema = 'sales' and table_name = 'orders' order by ordinal_position"),
        [['id', 'NO'], ['customer', 'NO'], ['amount', 'YES']]);
      await assert.rejects(c.query('insert into sales.orders values (4, null, 1)'), (e: { code?: string }) => e.code === '23502');
      await assert.rejects(c.query('create schema sales'), (e: { code?: string }) => e.code === '42P06');
      a = await connect(pg.port, { database: 'analytics' });
      assert.deepEqual(await rows(a, 'select current_database(), count(*) from sales.orders'), [['analytics', '2']]);
      assert.deepEqual(await rows(a, 'select region, n from by_region'), [['north', '2']]);
      await assert.rejects(a.query('select * from sales.totals'), (e: { code?: string }) => e.code === '42P01');
      await assert.rejects(c.query('select * from by_region'), (e: { code?: string }) => e.code === '42P01');
      await a.end();
    } finally {
      await c.end();
    }
  });
});
