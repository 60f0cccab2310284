// Databases across frontends (separate processes): each frontend shows a session only its own
// database's objects, and DROP DATABASE on one frontend is refused (55006) while a session on
// another frontend uses that database; a frontend killed with -9 stops counting within seconds.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, rows, startCluster, withLogs, type Cluster, type Proc } from '../harness/cluster.ts';

const codeOf = (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: string; detail?: string }) => `${e.code}: ${e.detail ?? ''}`);

describe('databases with two frontends', { timeout: 120_000 }, () => {
  let cluster: Cluster | undefined;
  let second: Proc | undefined;
  after(async () => {
    await second?.kill9();
    await cluster?.stop();
  });

  it('isolates objects per database and refuses to drop a database in use on another frontend', async () => {
    cluster = await startCluster({ computeCount: 1 });
    const added = await cluster.addFrontend({ name: 'frontend2' });
    second = added.proc;
    const port2 = added.port;
    await withLogs(() => cluster!.procs, async () => {
      const dev = await connect(cluster!.pgPort);
      await dev.query('create database shop');
      await dev.query('create table t (id int primary key)');
      await dev.query('insert into t values (1), (2), (3)');
      let shop = await connect(port2, { database: 'shop' });
      await shop.query('create table t (id int primary key, v varchar)');
      await shop.query("insert into t values (7, 'seven')");
      await shop.query('create materialized view total as select count(*) as n from t');
      await shop.query('flush');
      assert.deepEqual(await rows(shop, 'select n from total'), [['1']]);
      assert.deepEqual(await rows(dev, 'select count(*) from t'), [['3']]);
      assert.equal(await codeOf(dev.query('select * from total')), '42P01: ');

      // A session on the other frontend holds shop: refused, as PostgreSQL does.
      assert.equal(await codeOf(dev.query('drop database shop')), '55006: There is 1 other session using the database.');
      await shop.end();
      await dev.query('drop database shop'); // the session ended: the drop goes through
      assert.deepEqual(await rows(dev, "select datname from pg_database order by 1"), [['dev']]);
      assert.deepEqual(await rows(dev, 'select count(*) from t'), [['3']]);

      // A frontend killed with -9 while its session uses the database stops counting.
      await dev.query('create database shop');
      shop = await connect(port2, { database: 'shop' });
      shop.on('error', () => {});
      await shop.query('create table gone (x int)');
      await second!.kill9();
      const started = Date.now();
      await dev.query('drop database shop');
      const waitedMs = Date.now() - started;
      assert.ok(waitedMs < 5000, `drop waited ${waitedMs} ms for the dead frontend's report to go stale`);
      await dev.end();
    });
  });
});
