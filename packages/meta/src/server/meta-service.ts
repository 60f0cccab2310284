import {
  createLogger, DbError, DEFAULT_DATABASE, SqlState, unaryHandler, type ActorBackfillProgress, type grpc, type NamespaceDdl, type StreamFragmentGraph, type TableCatalog,
} from '@tributary/common';
import type { SstInfo } from '@tributary/storage/version';
import type { MetaNodeContext } from './meta-context.ts';
import type { UserDdl } from '../catalog/user-manager.ts';
import { hummockServiceHandlers } from './hummock-service.ts';

const log = createLogger('meta-service');

/** gRPC handlers of the MetaService (see tributary.proto). */
export function metaServiceHandlers(ctx: MetaNodeContext): grpc.UntypedServiceImplementation {
  return {
    RegisterWorker: unaryHandler(async (req: { role: string; address: string; parallelism: number }) => {
      const role = req.role as 'compute' | 'frontend' | 'compactor';
      const w = await ctx.cluster.register(role, req.address, Math.max(1, req.parallelism || 1));
      if (role !== 'compactor') ctx.hummock.pin(w.workerId); // compactors read only task inputs, which the version holds
      return { worker_id: w.workerId, state_store_url: ctx.stateStoreUrl, cluster_prefix: ctx.clusterPrefix, config_json: '{}' };
    }),

    ControlStream: (call: grpc.ServerDuplexStream<any, any>) => {
      let workerId = 0;
      const handle = { send: (m: object) => call.write(m), close: () => call.end() };
      const lost = (reason: string) => {
        if (workerId) ctx.cluster.detachControl(workerId, handle, reason);
        workerId = 0;
      };
      call.on('data', (msg: any) => {
        try {
          if (msg.msg === 'hello_worker_id') {
            workerId = msg.hello_worker_id;
            ctx.cluster.attachControl(workerId, handle);
          } else if (msg.msg === 'complete') {
            const c = msg.complete;
            const ssts = c.ssts_json ? (JSON.parse(c.ssts_json) as SstInfo[]) : [];
            const progress = c.progress_json ? (JSON.parse(c.progress_json) as ActorBackfillProgress[]) : [];
            ctx.barriers.onBarrierComplete(workerId, BigInt(c.curr_epoch), ssts, c.error, progress);
          } else if (msg.msg === 'heartbeat_ms') {
            ctx.cluster.heartbeat(workerId);
          } else if (msg.msg === 'stats_json') {
            ctx.cluster.heartbeat(workerId);
            ctx.cluster.setStats(workerId, JSON.parse(msg.stats_json));
          } else if (msg.msg === 'stream_errors_json') {
            ctx.cluster.setStreamErrors(workerId, JSON.parse(msg.stream_errors_json));
          } else if (msg.msg === 'actor_error') {
            ctx.barriers.requestRecovery(`actor failed on compute node ${workerId}: ${msg.actor_error}`, workerId);
          }
        } catch (err) {
          log.error({ err }, 'bad control message');
        }
      });
      call.on('end', () => {
        lost('control stream closed');
        call.end();
      });
      call.on('error', (err) => lost(`control stream error: ${err.message}`));
      call.on('cancelled', () => lost('control stream cancelled'));
    },

    Subscribe: (call: grpc.ServerWritableStream<any, any>) => {
      const sink = { write: (n: { kind: string; json: string }) => call.write(n) };
      call.write({ kind: 'snapshot', json: JSON.stringify(ctx.snapshot()) });
      ctx.notifications.add(sink);
      const workerId = (call.request as { worker_id: number }).worker_id;
      if (workerId) ctx.cluster.setStreamState(workerId, true);
      const remove = () => {
        ctx.notifications.remove(sink);
        if (workerId) ctx.cluster.setStreamState(workerId, false);
        if (workerId && ctx.cluster.all().find((w) => w.workerId === workerId)?.role !== 'compute') ctx.hummock.unpin(workerId);
        ctx.cluster.pruneDownFrontends();
      };
      call.on('cancelled', remove);
      call.on('error', remove);
      call.on('close', remove);
    },

    Ddl: unaryHandler(async (req: { kind: string; json: string }) => {
      const body = JSON.parse(req.json);
      switch (req.kind) {
        case 'create': {
          const rel = await ctx.jobs.create(body.catalog as TableCatalog, body.graph as StreamFragmentGraph, !!body.ifNotExists);
          return { json: JSON.stringify({ id: rel.id }) };
        }
        case 'drop':
          await ctx.jobs.drop(body.kind, body.database ?? DEFAULT_DATABASE, body.schema ?? 'public', body.name, !!body.ifExists, !!body.cascade);
          return { json: '{}' };
        case 'namespace':
          await ctx.namespaceDdl(body as NamespaceDdl);
          return { json: '{}' };
        case 'user': {
          await ctx.users.apply(body as UserDdl);
          const users = ctx.users.snapshot();
          ctx.notifications.notify('users', users);
          return { json: JSON.stringify(users) };
        }
        default:
          throw new DbError(SqlState.FeatureNotSupported, `DDL ${req.kind} is not supported`);
      }
    }),

    Flush: unaryHandler(async (req: { min_epoch: string }) => {
      await ctx.barriers.waitRunning();
      const epoch = await ctx.barriers.flush();
      const min = BigInt(req.min_epoch || '0');
      if (min > 0n) ctx.barriers.checkCommitted(min);
      return { committed_epoch: epoch.toString() };
    }),

    AllocateSstIds: unaryHandler(async (req: { count: number }) => {
      const count = Math.max(1, req.count);
      return { start: String(await ctx.hummock.allocateSstIds(count)), count };
    }),

    SubscribeCompactTasks: (call: grpc.ServerWritableStream<any, any>) => {
      const workerId = (call.request as { worker_id: number }).worker_id;
      const sink = { write: (m: { task_id: string; task_json: string }) => call.write(m) };
      ctx.compactors.attach(workerId, sink);
      ctx.cluster.setStreamState(workerId, true);
      const remove = () => {
        ctx.compactors.detach(workerId, sink);
        ctx.cluster.setStreamState(workerId, false);
        ctx.cluster.pruneDownFrontends();
      };
      call.on('cancelled', remove);
      call.on('error', remove);
      call.on('close', remove);
      const bg = ctx.hummock.background;
      if (bg?.config.compactionEnabled) bg.compaction.kick(); // work may have waited for a compactor
    },

    ReportCompactTask: unaryHandler(async (req: { task_id: string; worker_id: number; outputs_json: string; stats_json: string; error: string }) => {
      ctx.compactors.onReport({
        taskId: Number(req.task_id),
        workerId: req.worker_id,
        outputs: req.outputs_json ? (JSON.parse(req.outputs_json) as SstInfo[]) : [],
        stats: req.stats_json ? JSON.parse(req.stats_json) : null,
        error: req.error ?? '',
      });
      return {};
    }),

    ReportPins: unaryHandler(async (req: { worker_id: number; min_version_id: string | number; min_epoch: string; sessions_json?: string }) => {
      ctx.hummock.pin(req.worker_id, { minVersionId: Number(req.min_version_id), minEpoch: BigInt(req.min_epoch || '0') });
      if (req.sessions_json) ctx.frontendSessions.report(req.worker_id, JSON.parse(req.sessions_json) as Record<string, number>);
      return {};
    }),

    ...hummockServiceHandlers(ctx),
    ClusterInfo: unaryHandler(async () => ({ json: JSON.stringify(ctx.clusterInfo(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) })),
  };
}
