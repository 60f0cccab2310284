import {
  barrierFromJson, createLogger, GRPC_CHANNEL_OPTIONS, grpc, ComputeServiceDef, MetaServiceClient, unary, unaryHandler,
  type ActorBackfillProgress, type ActorDesc, type Barrier,
} from '@tributary/common';
import { createObjectStore, HummockStateStore, versionFromJson, type SstInfo } from '@tributary/storage';
import { LocalBarrierManager } from '../stream/local-barrier-manager.ts';
import { encodeMessage } from '../exchange/message-codec.ts';
import { StreamRuntime } from './stream-runtime.ts';

export interface ComputeNodeOptions {
  /** meta's gRPC address host:port */
  meta: string;
  /** host:port to serve on; port 0 picks a free one. */
  listen: string;
  /** Address other nodes use to reach this one (default: the bound listen address). */
  advertise?: string;
  parallelism?: number;
  blockCacheBytes?: number;
  metaCacheBytes?: number;
  heartbeatIntervalMs?: number;
}

export interface ComputeNode {
  address: string;
  workerId: number;
  close(): Promise<void>;
}

/**
 * A compute node: serves ComputeService (build/reset actors, DML, exchange), registers with meta,
 * and keeps a control stream to it for barriers and version updates. If the stream breaks (meta
 * restarted) it reconnects; meta then recovers the graph.
 */
export async function startComputeNode(opts: ComputeNodeOptions): Promise<ComputeNode> {
  const log = createLogger('compute');
  const server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
  let runtime: StreamRuntime | null = null;
  let store: HummockStateStore | null = null;
  const ready = () => {
    if (!runtime || !store) throw new Error('compute node is not registered with meta yet');
    return { runtime, store };
  };
  server.addService(ComputeServiceDef, {
    BuildActors: unaryHandler(async (req: { actors_json: string }) => {
      ready().runtime.build(JSON.parse(req.actors_json) as ActorDesc[]);
      return {};
    }),
    Reset: unaryHandler(async (req: { version_json: string }) => {
      const r = ready();
      await r.runtime.reset();
      r.store.clearUncommitted();
      r.store.updateVersion(versionFromJson(req.version_json));
      r.runtime.committed.advance(r.store.committedVersion().maxCommittedEpoch);
      return {};
    }),
    Dml: unaryHandler(async (req: { table_id: number; actor_id: number; chunk: Buffer }) => {
      const r = ready();
      const types = r.runtime.dmlTypes(req.actor_id);
      if (!types) throw new Error(`no table actor ${req.actor_id} on this node; retry`);
      const epoch = await r.runtime.dml(req.table_id, req.actor_id, new Uint8Array(req.chunk), types);
      return { epoch: epoch.toString() };
    }),
    Exchange: (call: grpc.ServerWritableStream<{ up_actor_id: number; down_actor_id: number }, unknown>) => {
      void pumpExchange(call, () => ready().runtime);
    },
  });
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync(opts.listen, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? rej(err) : res(p))),
  );
  const address = opts.advertise ?? `${opts.listen.slice(0, opts.listen.lastIndexOf(':'))}:${port}`;
  const meta = new MetaServiceClient(opts.meta, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
  const reg = await registerWithRetry(meta, address, opts.parallelism ?? 2);
  /** May change: a restarted meta that forgot this node registers it under a new id. */
  let workerId = reg.worker_id;
  const objectStore = createObjectStore(reg.state_store_url);
  store = new HummockStateStore({
    objectStore,
    clusterPrefix: reg.cluster_prefix,
    blockCacheBytes: opts.blockCacheBytes,
    metaCacheBytes: opts.metaCacheBytes,
    allocateSstIds: async (n) => {
      const res = await unary<{ count: number }, { start: string; count: number }>(meta, 'AllocateSstIds', { count: n }, 10_000);
      const start = Number(res.start);
      return Array.from({ length: n }, (_, i) => start + i);
    },
    logger: log,
  });
  let control: grpc.ClientDuplexStream<any, any> | null = null;
  const barriers = new LocalBarrierManager((epoch) => store!.sync(epoch), {
    complete: (b: Barrier, ssts: SstInfo[], error: string, backfill: ActorBackfillProgress[]) => {
      const progress_json = backfill.length > 0 ? JSON.stringify(backfill) : '';
      control?.write({ complete: { prev_epoch: b.prevEpoch.toString(), curr_epoch: b.currEpoch.toString(), ssts_json: JSON.stringify(ssts), error, progress_json } });
    },
  });
  runtime = new StreamRuntime(address, store, barriers, (actorId, err) => {
    control?.write({ actor_error: `actor ${actorId}: ${err.message}` });
  });
  let closed = false;
  let beats = 0;
  const heartbeat = setInterval(() => {
    control?.write({ heartbeat_ms: String(Date.now()) });
    const pins = store!.pinReport();
    unary(meta, 'ReportPins', { worker_id: reg.worker_id, min_version_id: pins.minVersionId, min_epoch: pins.minEpoch.toString() }, 5000).catch(() => {});
    if (++beats % 5 === 0) control?.write({ stats_json: JSON.stringify(store!.stats()) });
    const errors = runtime.exprErrors.takeIfChanged();
    if (errors) control?.write({ stream_errors_json: JSON.stringify(errors) });
  }, opts.heartbeatIntervalMs ?? 1000);
  heartbeat.unref();
  const connect = () => {
    if (closed) return;
    const call = meta.ControlStream();
    control = call;
    call.write({ hello_worker_id: workerId });
    call.on('data', (msg: any) => {
      if (msg.msg === 'inject') barriers.inject(barrierFromJson(msg.inject.barrier_json), msg.inject.actors_to_collect);
      else if (msg.msg === 'version_json') {
        store!.updateVersion(versionFromJson(msg.version_json));
        runtime!.committed.advance(store!.committedVersion().maxCommittedEpoch);
      }
    });
    const lost = (why: string) => {
      if (control !== call) return;
      control = null;
      if (closed) return;
      log.warn({ why }, 'control stream to meta lost; reconnecting');
      setTimeout(() => void reconnect(), 500);
    };
    call.on('error', (e: Error) => lost(e.message));
    call.on('end', () => lost('ended'));
  };
  const reconnect = async () => {
    if (closed) return;
    try {
      // Meta saw this stream close and recovers without this node's actors: drop them (and their
      // uncommitted state) before joining again as an empty node that a rebalance can fill.
      await runtime!.reset();
      store!.clearUncommitted();
      workerId = (await registerWithRetry(meta, address, opts.parallelism ?? 2)).worker_id;
      connect();
    } catch {
      setTimeout(() => void reconnect(), 1000);
    }
  };
  connect();
  log.info({ address, workerId: reg.worker_id, stateStore: reg.state_store_url }, 'compute node started');
  return {
    address,
    workerId: reg.worker_id,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      control?.end();
      await runtime?.reset();
      server.forceShutdown();
      meta.close();
    },
  };
}

async function registerWithRetry(meta: unknown, address: string, parallelism: number): Promise<{ worker_id: number; state_store_url: string; cluster_prefix: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await unary(meta, 'RegisterWorker', { role: 'compute', address, parallelism }, 5000);
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Streams one exchange link to a remote downstream node, honoring gRPC flow control. */
async function pumpExchange(call: grpc.ServerWritableStream<{ up_actor_id: number; down_actor_id: number }, unknown>, runtime: () => StreamRuntime): Promise<void> {
  let cancelled = false;
  call.on('cancelled', () => (cancelled = true));
  try {
    const { channel, types } = await runtime().exchange.remoteOutput(call.request.up_actor_id, call.request.down_actor_id);
    for (;;) {
      const msg = await channel.recv();
      if (msg === undefined || cancelled) break;
      if (!call.write({ data: encodeMessage(types, msg) })) await new Promise((r) => call.once('drain', r));
    }
    call.end();
  } catch (err) {
    call.destroy(err as Error);
  }
}
