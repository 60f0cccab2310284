import { Worker } from 'node:worker_threads';
import net from 'node:net';
import { startCompactorNode, startComputeNode } from '@tributary/compute';
import { startMetaNode } from '@tributary/meta';
import { startFrontendNode, type AuthMethod } from '@tributary/sql';
import type { OptionSpec } from './options.ts';
import { rootLogger } from '@tributary/common';

export interface Role {
  summary: string;
  options: OptionSpec[];
  run(o: Record<string, string | undefined>): Promise<{ close(): Promise<void> }>;
}

const num = (v: string | undefined, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
};

const META_OPTIONS: OptionSpec[] = [
  { name: 'listen', help: 'gRPC listen address host:port', default: '127.0.0.1:5690' },
  { name: 'data-dir', help: 'directory for the meta store and the default local object store', default: './tributary-data' },
  { name: 'state-store', help: 'object store URL: fs:///abs/path | s3://bucket/prefix | memory:// (default: fs under --data-dir)' },
  { name: 'meta-store', help: 'meta store URL: sqlite:///abs/path.db | postgres://user@host:port/db (default: sqlite under --data-dir)' },
  { name: 'barrier-interval-ms', help: 'barrier interval', default: '1000' },
  { name: 'checkpoint-frequency', help: 'barriers per checkpoint', default: '1' },
  { name: 'cluster-name', help: 'object key prefix of this cluster in the state store', default: 'tributary' },
  { name: 'heartbeat-timeout-ms', help: 'a compute node silent this long is fenced and the graph recovers', default: '3000' },
  { name: 'dashboard-listen', help: 'HTTP host:port for /metrics (Prometheus) and the status page; "off" disables', default: '127.0.0.1:5691' },
  { name: 'barrier-collect-timeout-ms', help: 'a barrier some compute node has not completed after this long (a stuck actor or upload) triggers a recovery; 0: never', default: '300000' },
  { name: 'recovery-grace-ms', help: 'how long recovery waits for a lost compute node to return before moving its actors to the live nodes', default: '0' },
  { name: 'rebalance-delay-ms', help: 'settle time after a compute node joins before actors move onto it online; negative: a join triggers a recovery instead', default: '1000' },
];

const COMPUTE_OPTIONS: OptionSpec[] = [
  { name: 'meta', help: 'meta gRPC address', default: '127.0.0.1:5690' },
  { name: 'listen', help: 'gRPC listen address host:port', default: '127.0.0.1:5688' },
  { name: 'advertise', help: 'address other nodes use to reach this one (default: --listen)' },
  { name: 'parallelism', help: 'actors per fragment on this node', default: '2' },
  { name: 'block-cache-mb', help: 'SST block cache size', default: '256' },
  { name: 'meta-cache-mb', help: 'SST meta (block index + bloom filter) cache size', default: '16' },
];

const FRONTEND_OPTIONS: OptionSpec[] = [
  { name: 'meta', help: 'meta gRPC address', default: '127.0.0.1:5690' },
  { name: 'host', help: 'Postgres listen host', default: '127.0.0.1' },
  { name: 'port', help: 'Postgres listen port', default: '4566' },
  { name: 'auth', help: 'client authentication: trust | md5 | scram', default: 'trust' },
  { name: 'tls-cert', help: 'PEM certificate file: accept TLS connections (with --tls-key)' },
  { name: 'tls-key', help: 'PEM private key file of --tls-cert' },
];

const COMPACTOR_OPTIONS: OptionSpec[] = [
  { name: 'meta', help: 'meta gRPC address', default: '127.0.0.1:5690' },
  { name: 'block-cache-mb', help: 'block cache for reading task inputs', default: '16' },
];

/**
 * Starts the playground's compactor on a worker thread (see compactor-thread.ts). Resolves once it
 * registered with meta; close() stops it and the thread.
 */
async function startCompactorThread(meta: string): Promise<{ close(): Promise<void> }> {
  const worker = new Worker(new URL('../bin/compactor-thread.js', import.meta.url), { workerData: { meta } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    async close() {
      const closed = new Promise<void>((r) => worker.once('message', () => r()));
      worker.postMessage('close');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}

/** True when host:port can be bound right now. */
function canListen(address: string): Promise<boolean> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(Number(address.slice(i + 1)), address.slice(0, i), () => s.close(() => resolve(true)));
  });
}

/** `--auth` value to the frontend's method; throws on unknown names. */
function authMethod(value: string | undefined): AuthMethod {
  const v = (value ?? 'trust').toLowerCase();
  if (v === 'trust' || v === 'md5') return v;
  if (v === 'scram' || v === 'scram-sha-256') return 'scram-sha-256';
  throw new Error(`--auth must be trust, md5 or scram (got "${value}")`);
}

export const ROLES: Record<string, Role> = {
  meta: {
    summary: 'Runs the meta node: catalog, barriers and checkpoints, Hummock versions, recovery.',
    options: META_OPTIONS,
    run: (o) =>
      startMetaNode({
        listen: o.listen!,
        dataDir: o['data-dir']!,
        stateStoreUrl: o['state-store'],
        metaStoreUrl: o['meta-store'],
        barrierIntervalMs: num(o['barrier-interval-ms'], 'barrier-interval-ms'),
        checkpointFrequency: num(o['checkpoint-frequency'], 'checkpoint-frequency'),
        clusterName: o['cluster-name'],
        heartbeatTimeoutMs: num(o['heartbeat-timeout-ms'], 'heartbeat-timeout-ms'),
        dashboardListen: o['dashboard-listen'] === 'off' ? undefined : o['dashboard-listen'],
        recoveryGraceMs: num(o['recovery-grace-ms'], 'recovery-grace-ms'),
        barrierCollectTimeoutMs: num(o['barrier-collect-timeout-ms'], 'barrier-collect-timeout-ms'),
        rebalanceDelayMs: num(o['rebalance-delay-ms'], 'rebalance-delay-ms'),
      }),
  },
  compute: {
    summary: 'Runs a compute node: streaming actors, state store, exchange, DML.',
    options: COMPUTE_OPTIONS,
    run: (o) =>
      startComputeNode({
        meta: o.meta!,
        listen: o.listen!,
        advertise: o.advertise,
        parallelism: num(o.parallelism, 'parallelism'),
        blockCacheBytes: num(o['block-cache-mb'], 'block-cache-mb') * 1024 * 1024,
        metaCacheBytes: num(o['meta-cache-mb'], 'meta-cache-mb') * 1024 * 1024,
      }),
  },
  compactor: {
    summary: 'Runs a compactor: merges SSTs for the compaction tasks meta assigns (without one, meta compacts itself).',
    options: COMPACTOR_OPTIONS,
    run: (o) => startCompactorNode({ meta: o.meta!, blockCacheBytes: num(o['block-cache-mb'], 'block-cache-mb') * 1024 * 1024 }),
  },
  frontend: {
    summary: 'Runs a frontend: the Postgres protocol server (psql -h 127.0.0.1 -p 4566 -d dev -U root).',
    options: FRONTEND_OPTIONS,
    run: (o) => startFrontendNode({ meta: o.meta!, host: o.host!, port: num(o.port, 'port'), auth: authMethod(o.auth), tlsCert: o['tls-cert'], tlsKey: o['tls-key'] }),
  },
  playground: {
    summary: 'Runs every role in one process (meta, one compute node, frontend) with embedded defaults: local-disk object store and SQLite under --data-dir.',
    options: [
      { name: 'port', help: 'Postgres listen port', default: '4566' },
      { name: 'host', help: 'Postgres listen host', default: '127.0.0.1' },
      { name: 'auth', help: 'client authentication: trust | md5 | scram', default: 'trust' },
      { name: 'tls-cert', help: 'PEM certificate file: accept TLS connections (with --tls-key)' },
      { name: 'tls-key', help: 'PEM private key file of --tls-cert' },
      { name: 'data-dir', help: 'data directory', default: './tributary-data' },
      { name: 'state-store', help: 'object store URL (default: fs under --data-dir)' },
      { name: 'meta-store', help: 'meta store URL: sqlite:///abs/path.db | postgres://user@host:port/db (default: sqlite under --data-dir)' },
      { name: 'barrier-interval-ms', help: 'barrier interval', default: '1000' },
      { name: 'parallelism', help: 'actors per fragment', default: '2' },
      { name: 'dashboard-listen', help: 'HTTP host:port for /metrics and the status page; "off" disables', default: '127.0.0.1:5691' },
      { name: 'meta-listen', help: 'meta gRPC address (for `tributary ctl`); a busy port falls back to a free one', default: '127.0.0.1:5690' },
      { name: 'compactor', help: 'where compaction runs: "thread" (a compactor on its own thread) or "meta" (inside meta)', default: 'thread' },
    ],
    run: async (o) => {
      let metaListen = o['meta-listen']!;
      if (!(await canListen(metaListen))) {
        rootLogger.warn({ metaListen }, 'meta port busy; the playground uses a free port (tributary ctl will not find it there)');
        metaListen = `${metaListen.slice(0, metaListen.lastIndexOf(':'))}:0`;
      }
      const meta = await startMetaNode({
        listen: metaListen,
        dataDir: o['data-dir']!,
        stateStoreUrl: o['state-store'],
        metaStoreUrl: o['meta-store'],
        barrierIntervalMs: num(o['barrier-interval-ms'], 'barrier-interval-ms'),
        startupWaitMs: 0,
        dashboardListen: o['dashboard-listen'] === 'off' ? undefined : o['dashboard-listen'],
      });
      const compute = await startComputeNode({ meta: meta.address, listen: '127.0.0.1:0', parallelism: num(o.parallelism, 'parallelism') });
      if (o.compactor !== 'thread' && o.compactor !== 'meta') throw new Error(`--compactor must be thread or meta (got "${o.compactor}")`);
      const compactor = o.compactor === 'thread' ? await startCompactorThread(meta.address) : null;
      const frontend = await startFrontendNode({ meta: meta.address, host: o.host!, port: num(o.port, 'port'), auth: authMethod(o.auth), tlsCert: o['tls-cert'], tlsKey: o['tls-key'] });
      return {
        async close() {
          await frontend.close();
          await compactor?.close();
          await compute.close();
          await meta.close();
        },
      };
    },
  },
};
