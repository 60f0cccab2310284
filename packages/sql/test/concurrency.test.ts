// Many concurrent sessions: each connects, runs a simple and a parameterized query, disconnects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestCluster, type TestCluster } from './in-process-cluster.ts';

const CONNECTIONS = 200;
let cluster: TestCluster;

before(async () => {
  cluster = await startTestCluster();
  const c = await cluster.client();
  await c.query('create table shared (k int primary key, v varchar)');
  await c.query(`insert into shared values ${Array.from({ length: 100 }, (_, i) => `(${i}, 'v${i}')`).join(', ')}`);
  await c.query('flush');
  await c.end();
});

after(async () => {
  await cluster?.close();
});

test(`${CONNECTIONS} concurrent connections each run queries`, async () => {
  const results = await Promise.all(Array.from({ length: CONNECTIONS }, async (_, i) => {
    const c = new pg.Client({ host: '127.0.0.1', port: cluster.port, user: 'root', database: 'dev', application_name: `conn-${i}` });
    c.on('error', () => undefined);
    await c.connect();
    try {
      const simple = await c.query(`select count(*) as n from shared where k < ${i % 100}`);
      const param = await c.query('select v from shared where k = $1', [i % 100]);
      const app = await c.query('show application_name');
      return [Number(simple.rows[0].n), param.rows[0].v, app.rows[0].application_name];
    } finally {
      await c.end();
    }
  }));
  results.forEach((r, i) => assert.deepEqual(r, [i % 100, `v${i % 100}`, `conn-${i}`]));
});
