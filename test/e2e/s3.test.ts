// State store on S3 (s3rver on loopback): data lands as SST objects and survives a kill -9.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startPlayground, connect, rows, dumpLogs, tmpDir, freePort, spawnProc, waitForTcp, ROOT, type Playground, type Proc } from '../harness/cluster.ts';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

describe('S3 state store', { timeout: 90_000 }, () => {
  const s3Dir = tmpDir('tributary-s3rver-');
  let s3: Proc | undefined;
  let s3Port = 0;
  let pg: Playground | undefined;
  const all: Proc[] = [];
  let env: Record<string, string>;

  before(async () => {
    s3Port = await freePort();
    s3 = spawnProc('s3rver', ['--openssl-legacy-provider', join(ROOT, 'node_modules/s3rver/bin/s3rver.js'), '-d', s3Dir, '-a', '127.0.0.1', '-p', String(s3Port), '--silent', '--configure-bucket', 'tributary'], { logDir: tmpDir('tributary-log-') });
    all.push(s3);
    await waitForTcp(s3Port, 20_000, s3);
    env = {
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    };
  });
  after(async () => {
    await pg?.kill9();
    await s3?.stop();
  });

  it('stores SSTs in the bucket and recovers from them after kill -9', async () => {
    try {
      const dataDir = tmpDir('tributary-s3data-');
      pg = await startPlayground({ dataDir, stateStore: 's3://tributary/test', env });
      all.push(pg.proc);
      let c = await connect(pg.port);
      await c.query('create table s3_t (id int primary key, k varchar, v int)');
      await c.query('create materialized view s3_mv as select k, count(*) as n, sum(v) as s from s3_t group by k');
      const vals = Array.from({ length: 100 }, (_, i) => `(${i}, 'k${i % 4}', ${i})`).join(', ');
      await c.query(`insert into s3_t values ${vals}`);
      await c.query('flush');
      const expectedMv = [['k0', '25', '1200'], ['k1', '25', '1225'], ['k2', '25', '1250'], ['k3', '25', '1275']];
      assert.deepEqual(await rows(c, 'select k, n, s from s3_mv order by k'), expectedMv);
      assert.deepEqual(await rows(c, 'select count(*), sum(v) from s3_t'), [['100', '4950']]);
      await c.end();

      // objects under the bucket/prefix in s3rver's directory
      const files = walk(join(s3Dir, 'tributary')).map((f) => f.slice(s3Dir.length));
      // s3rver stores object KEY as KEY._S3rver_object; SSTs live under <prefix>/<cluster>/sst/
      const ssts = files.filter((f) => /^\/tributary\/test\/tributary\/sst\/[^/]+\._S3rver_object$/.test(f));
      assert.ok(ssts.length > 0, `no SST objects in s3rver dir; files: ${files.join(', ')}`);
      // and the local data dir holds no SSTs (state went to S3)
      const localSsts = walk(dataDir).filter((f) => /[\\/]sst[\\/]|\.sst$/.test(f));
      assert.deepEqual(localSsts, []);

      await pg.kill9();
      pg = await startPlayground({ dataDir, stateStore: 's3://tributary/test', env });
      all.push(pg.proc);
      c = await connect(pg.port);
      assert.deepEqual(await rows(c, 'select k, n, s from s3_mv order by k'), expectedMv);
      assert.deepEqual(await rows(c, 'select count(*), sum(v) from s3_t'), [['100', '4950']]);
      await c.query("insert into s3_t values (100, 'k0', 1000), (101, 'k9', 1)");
      await c.query('delete from s3_t where id = 1');
      await c.query('flush');
      assert.deepEqual(await rows(c, 'select k, n, s from s3_mv order by k'), [['k0', '26', '2200'], ['k1', '24', '1224'], ['k2', '25', '1250'], ['k3', '25', '1275'], ['k9', '1', '1']]);
      await c.end();
    } catch (e) {
      dumpLogs(all);
      throw e;
    }
  });
});
