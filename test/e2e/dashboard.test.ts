// Meta's HTTP port: Prometheus metrics and the cluster JSON reflect the running cluster.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, freePort, startPlayground, type Playground } from '../harness/cluster.ts';

describe('dashboard', () => {
  let p: Playground | null = null;
  after(async () => p?.kill9());

  it('serves /metrics and /api/cluster', { timeout: 60_000 }, async () => {
    const port = await freePort();
    p = await startPlayground({ extraArgs: ['--dashboard-listen', `127.0.0.1:${port}`] });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^tributary_worker_up\{worker_id="\d+",role="compute",address="[^"]+"\} 1$/m);
    assert.match(metrics, /^tributary_streaming_running 1$/m);
    assert.match(metrics, /^tributary_recoveries_total \d+$/m);
    const cluster = await (await fetch(`http://127.0.0.1:${port}/api/cluster`)).json();
    assert.equal(cluster.running, true);
    assert.ok(cluster.workers.some((w: { role: string; state: string }) => w.role === 'compute' && w.state === 'running'));
    const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.match(html, /<h2>Workers<\/h2>/);

    // Compute nodes report their storage figures every few heartbeats.
    const c = await connect(p.port);
    await c.query('CREATE TABLE dash_t (id INT PRIMARY KEY, v INT)');
    await c.query('INSERT INTO dash_t VALUES (1, 1), (2, 2)');
    await c.query('SELECT * FROM dash_t');
    await c.end();
    let text = '';
    for (let i = 0; i < 60 && !/tributary_block_cache_hit_ratio\{/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 250));
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    }
    assert.match(text, /^tributary_block_cache_hit_ratio\{worker_id="\d+",address="[^"]+"\} [0-9.]+$/m);
    assert.match(text, /^tributary_shared_buffer_bytes\{worker_id="\d+",address="[^"]+"\} \d+$/m);
  });
});
