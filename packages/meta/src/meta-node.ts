import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLogger, grpc, GRPC_CHANNEL_OPTIONS, MetaServiceDef } from '@tributary/common';
import { versionToJson } from '@tributary/storage/version';
import { BarrierManager } from './barrier/barrier-manager.ts';
import { RecoveryLog } from './barrier/recovery-log.ts';
import { RebalanceLog } from './barrier/rebalance-log.ts';
import { EpochFence } from './barrier/epoch-fence.ts';
import { startDashboard } from './dashboard/dashboard-server.ts';
import { CatalogManager } from './catalog/catalog-manager.ts';
import { UserManager } from './catalog/user-manager.ts';
import { applyNamespaceDdl } from './catalog/namespace-ddl.ts';
import { IdGenerator } from './catalog/id-generator.ts';
import { ClusterManager } from './cluster/cluster-manager.ts';
import { FrontendSessions } from './cluster/frontend-sessions.ts';
import { HummockManager } from './hummock/hummock-manager.ts';
import { HummockBackground } from './hummock/hummock-background.ts';
import { RemoteCompactors } from './hummock/remote-compactors.ts';
import { openMetaStore } from './meta-store/sqlite-meta-store.ts';
import { NotificationManager } from './notification/notification-manager.ts';
import { metaServiceHandlers } from './server/meta-service.ts';
import type { MetaNodeContext } from './server/meta-context.ts';
import { ComputeClients } from './stream/compute-clients.ts';
import { JobManager } from './stream/job-manager.ts';
import { RebalanceManager } from './stream/rebalance-manager.ts';
import { StreamManager } from './stream/stream-manager.ts';

export interface MetaNodeOptions {
  /** host:port for gRPC; port 0 picks a free one. */
  listen: string;
  dataDir: string;
  /** Default: fs://<dataDir>/state. */
  stateStoreUrl?: string;
  /** Default: sqlite://<dataDir>/meta.db. */
  metaStoreUrl?: string;
  clusterName?: string;
  barrierIntervalMs?: number;
  checkpointFrequency?: number;
  startupWaitMs?: number;
  /** Least time between two barriers (group commit window for FLUSH/DML acks; default 20). */
  minBarrierSpacingMs?: number;
  /** HTTP host:port for /metrics and the status page; empty = off (default off; CLI: 127.0.0.1:5691). */
  dashboardListen?: string;
  /** How long recovery waits for a lost compute node to return before moving its work (default 0). */
  recoveryGraceMs?: number;
  /** A barrier not completed by every node after this long triggers a recovery (0: never). */
  barrierCollectTimeoutMs?: number;
  /** A compute node silent this long is fenced and recovery starts (default 3000). */
  heartbeatTimeoutMs?: number;
  /**
   * Settle time after a compute node joins before actors move onto it online (default 1000);
   * negative: no online rebalance, a join triggers a recovery instead.
   */
  rebalanceDelayMs?: number;
}

export interface MetaNode {
  address: string;
  context: MetaNodeContext;
  close(): Promise<void>;
}

/** Starts a meta node: loads the meta store, serves gRPC, starts the barrier loop. */
export async function startMetaNode(opts: MetaNodeOptions): Promise<MetaNode> {
  const log = createLogger('meta');
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const stateStoreUrl = opts.stateStoreUrl ?? `fs://${resolve(dataDir, 'state')}`;
  const store = openMetaStore(opts.metaStoreUrl ?? `sqlite://${resolve(dataDir, 'meta.db')}`);
  const cluster = new ClusterManager(store, log);
  const catalog = new CatalogManager(store);
  const users = new UserManager(store);
  const streams = new StreamManager(store);
  const hummock = new HummockManager(store, log);
  await Promise.all([cluster.load(), catalog.load(), streams.load(), hummock.load(), users.load()]);
  // Jobs that never finished creating were not persisted; nothing to clean here.
  const notifications = new NotificationManager();
  const computes = new ComputeClients();
  const recoveryLog = new RecoveryLog(store, () => notifyCatalog());
  await recoveryLog.load();
  const rebalanceLog = new RebalanceLog(store);
  await rebalanceLog.load();
  const rebalanceDelayMs = opts.rebalanceDelayMs ?? 1000;
  const fence = new EpochFence(store);
  await fence.load();
  const ctx = {} as MetaNodeContext;
  const notifyCatalog = () => {
    const { relations, placements, schemas, databases } = snapshot();
    notifications.notify('catalog', { relations, placements, schemas, databases });
  };
  const snapshot = () => ({
    relations: catalog.all().filter((r) => r.state === 'created'),
    schemas: catalog.allSchemas(),
    databases: catalog.allDatabases(),
    placements: streams.dmlPlacements(),
    version: JSON.parse(versionToJson(hummock.version)),
    users: users.snapshot(),
  });
  const notifyVersion = () => {
    const versionJson = versionToJson(hummock.version);
    for (const w of cluster.liveCompute()) cluster.control(w.workerId)?.send({ version_json: versionJson });
    notifications.notify('version', JSON.parse(versionJson));
  };
  const barriers = new BarrierManager(
    {
      barrierIntervalMs: opts.barrierIntervalMs ?? 1000,
      checkpointFrequency: opts.checkpointFrequency ?? 1,
      maxInflightBarriers: 8,
      minBarrierSpacingMs: opts.minBarrierSpacingMs ?? 20,
      recoveryGraceMs: opts.recoveryGraceMs ?? 0,
      barrierCollectTimeoutMs: opts.barrierCollectTimeoutMs ?? 300_000,
      startupWaitMs: opts.startupWaitMs ?? 3000,
      rebalanceOnJoin: rebalanceDelayMs >= 0,
    },
    cluster, hummock, streams, computes, recoveryLog, fence,
    notifyVersion,
  );
  const ids = {
    table: new IdGenerator(store, 'table', 1000),
    fragment: new IdGenerator(store, 'fragment', 1000),
    actor: new IdGenerator(store, 'actor', 1000),
  };

  const jobs = new JobManager(catalog, streams, cluster, barriers, computes, ids, notifyCatalog, hummock, {
    dropGrantsOps: (keys) => users.dropGrantsOps(keys),
    notify: () => notifications.notify('users', users.snapshot()),
  });
  const compactors = new RemoteCompactors(log);
  const frontendSessions = new FrontendSessions();
  const rebalancer = new RebalanceManager({ delayMs: rebalanceDelayMs }, {
    cluster, streams, barriers, computes, actorIds: ids.actor, log: rebalanceLog,
    isCreated: (jobId) => catalog.get(jobId)?.state === 'created',
    notify: notifyCatalog,
  });
  Object.assign(ctx, {
    compactors,
    stateStoreUrl, clusterPrefix: opts.clusterName ?? 'tributary', cluster, catalog, users, streams, hummock, barriers, jobs,
    notifications, recoveryLog, rebalanceLog, snapshot, frontendSessions,
    namespaceDdl: (ddl) => applyNamespaceDdl(ddl, { catalog, jobs, ids: ids.table, notify: notifyCatalog }),
    clusterInfo: () => ({
      workers: cluster.all(), recoveries: recoveryLog.all(), rebalances: rebalanceLog.all(), actors: streams.actorPlacements(),
      committedEpoch: hummock.committedEpoch.toString(), running: barriers.isRunning,
      jobs: barriers.backfill.list(),
      // A dropped view's tallies stay on its compute nodes until they restart: not shown.
      streamErrors: cluster.streamErrors().filter((e) => catalog.get(e.jobId) !== undefined),
      sessions: frontendSessions.list(),
    }),
  } satisfies MetaNodeContext);

  const server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
  server.addService(MetaServiceDef, metaServiceHandlers(ctx));
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync(opts.listen, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? rej(err) : res(p))),
  );
  const host = opts.listen.slice(0, opts.listen.lastIndexOf(':'));
  const address = `${host}:${port}`;
  barriers.start();
  rebalancer.start();
  void barriers.waitRunning().then(() => cluster.forgetAbsentCompute()).catch((err) => log.warn({ err }, 'could not prune absent workers'));
  // A compute node that is gone reads nothing: its pins no longer hold back compaction or vacuum.
  cluster.on('down', (w: { workerId: number } | undefined) => w && hummock.unpin(w.workerId));
  const hummockBackground = new HummockBackground(hummock, { stateStoreUrl, clusterPrefix: ctx.clusterPrefix, onVersion: notifyVersion, log, remote: compactors });
  cluster.startHeartbeatChecker(opts.heartbeatTimeoutMs ?? 3000);
  // The dashboard is a convenience: a busy port must not stop meta.
  const dashboard = opts.dashboardListen
    ? await startDashboard(ctx, opts.dashboardListen).catch((err: Error) => {
        log.warn({ err: err.message, listen: opts.dashboardListen }, 'dashboard not started');
        return null;
      })
    : null;
  log.info({ address, dataDir, stateStoreUrl }, 'meta node started');
  return {
    address,
    context: ctx,
    async close() {
      rebalancer.stop();
      barriers.stop();
      await hummockBackground.stop();
      cluster.stopHeartbeatChecker();
      await dashboard?.close();
      computes.close();
      await new Promise<void>((r) => server.tryShutdown(() => r()));
      server.forceShutdown();
      await store.close();
    },
  };
}
