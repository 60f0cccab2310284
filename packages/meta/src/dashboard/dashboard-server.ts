import { createServer, type Server } from 'node:http';
import { createLogger } from '@tributary/common';
import type { MetaNodeContext } from '../server/meta-context.ts';
import { renderMetrics } from './metrics.ts';

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Meta's HTTP port: `/metrics` (Prometheus), `/api/cluster` (JSON), `/` (a small status page). */
export async function startDashboard(ctx: MetaNodeContext, listen: string): Promise<{ port: number; close(): Promise<void> }> {
  const log = createLogger('dashboard');
  const server: Server = createServer((req, res) => {
    try {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderMetrics(ctx));
      } else if (req.url === '/api/cluster') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ctx.clusterInfo(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
      } else if (req.url === '/' || req.url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(ctx));
      } else {
        res.writeHead(404).end('not found\n');
      }
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  const idx = listen.lastIndexOf(':');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(listen.slice(idx + 1)), listen.slice(0, idx), () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  log.info({ listen: `${listen.slice(0, idx)}:${port}` }, 'dashboard listening (/metrics, /api/cluster)');
  return { port, close: () => new Promise((r) => server.close(() => r())) };
}

function page(ctx: MetaNodeContext): string {
  const actors = new Map<number, number>();
  for (const a of ctx.streams.actorPlacements()) actors.set(a.workerId, (actors.get(a.workerId) ?? 0) + 1);
  const workers = ctx.cluster.all().map((w) => `<tr><td>${w.workerId}</td><td>${esc(w.role)}</td><td>${esc(w.address)}</td><td>${esc(w.state)}</td><td>${w.role === 'compute' ? actors.get(w.workerId) ?? 0 : ''}</td></tr>`).join('');
  const rebs = ctx.rebalanceLog.all().slice(-20).reverse().map((r) =>
    `<tr><td>${r.id}</td><td>${esc(r.reason)}</td><td>${r.mode}</td><td>${new Date(r.startedAt).toISOString()}</td><td>${r.finishedAt - r.startedAt}</td><td>${r.movedActors}</td></tr>`).join('');
  const recs = ctx.recoveryLog.all().slice(-20).reverse().map((r) =>
    `<tr><td>${r.id}</td><td>${esc(r.reason)}</td><td>${new Date(r.detectedAt).toISOString()}</td><td>${r.recoveredAt - r.detectedAt}</td></tr>`).join('');
  const rels = ctx.catalog.all().map((r) => `<tr><td>${esc(r.name)}</td><td>${esc(r.kind)}</td><td>${esc(r.state)}</td></tr>`).join('');
  const v = ctx.hummock.version;
  return `<!doctype html><meta http-equiv="refresh" content="2"><title>Tributary</title>
<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 8px}</style>
<h1>Tributary</h1><p>streaming: ${ctx.barriers.isRunning ? 'running' : 'recovering'} · committed epoch ${v.maxCommittedEpoch} · L0 sub-levels ${v.l0.length}</p>
<h2>Workers</h2><table><tr><th>id</th><th>role</th><th>address</th><th>state</th><th>actors</th></tr>${workers}</table>
<h2>Recoveries</h2><table><tr><th>id</th><th>trigger</th><th>detected at</th><th>RTO ms</th></tr>${recs}</table>
<h2>Rebalances</h2><table><tr><th>id</th><th>trigger</th><th>mode</th><th>started at</th><th>duration ms</th><th>moved actors</th></tr>${rebs}</table>
<h2>Relations</h2><table><tr><th>name</th><th>kind</th><th>state</th></tr>${rels}</table>`;
}
