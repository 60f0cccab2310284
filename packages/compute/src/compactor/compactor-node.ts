import { createLogger, GRPC_CHANNEL_OPTIONS, grpc, MetaServiceClient, unary } from '@tributary/common';
import { createObjectStore } from '@tributary/storage';
import { Compactor, describeTask, taskFromJson } from '@tributary/storage/compactor';

export interface CompactorNodeOptions {
  /** meta's gRPC address host:port */
  meta: string;
  /** Block cache for reading task inputs (each is read once: small). */
  blockCacheBytes?: number;
}

export interface CompactorNode {
  workerId(): number;
  /** Tasks finished (committed or not) since start. */
  tasksRun(): number;
  close(): Promise<void>;
}

/**
 * A compactor node (the `compactor` role): runs the compaction tasks meta assigns, so merging SSTs
 * takes neither meta's nor a compute node's CPU.
 *
 * 1. Register with meta (role compactor), learn the object store, subscribe to tasks.
 * 2. For each task, one at a time: merge its inputs into new SSTs (Compactor, streamed uploads),
 *    report the outputs (or the error; outputs of a failed task are already deleted). Meta alone
 *    decides whether they commit.
 * 3. If the stream to meta breaks (meta restarted), register again and resubscribe; a task that was
 *    running is reported to whoever listens, and meta ignores reports it no longer waits for.
 */
export async function startCompactorNode(opts: CompactorNodeOptions): Promise<CompactorNode> {
  const log = createLogger('compactor');
  const meta = new MetaServiceClient(opts.meta, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
  let workerId = 0;
  let closed = false;
  let tasks = 0;
  let call: grpc.ClientReadableStream<{ task_id: string; task_json: string }> | null = null;
  let queue: Promise<void> = Promise.resolve();
  let compactor: Compactor | null = null;

  const register = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const reg = await unary<object, { worker_id: number; state_store_url: string; cluster_prefix: string }>(meta, 'RegisterWorker', { role: 'compactor', address: '', parallelism: 1 }, 5000);
        workerId = reg.worker_id;
        compactor ??= new Compactor({
          objectStore: createObjectStore(reg.state_store_url),
          clusterPrefix: reg.cluster_prefix,
          blockCacheBytes: opts.blockCacheBytes,
          allocateSstIds: async (n) => {
            const res = await unary<{ count: number }, { start: string }>(meta, 'AllocateSstIds', { count: n }, 10_000);
            const start = Number(res.start);
            return Array.from({ length: n }, (_, i) => start + i);
          },
        });
        return;
      } catch (err) {
        if (closed || attempt >= 120) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  const runTask = async (taskId: string, taskJson: string): Promise<void> => {
    const task = taskFromJson(taskJson);
    const reportAs = workerId;
    let report: { outputs_json: string; stats_json: string; error: string };
    try {
      const { outputs, stats } = await compactor!.run(task);
      report = { outputs_json: JSON.stringify(outputs), stats_json: JSON.stringify(stats), error: '' };
      log.info({ task: describeTask(task), ...stats }, 'compaction task done');
    } catch (err) {
      report = { outputs_json: '', stats_json: '', error: (err as Error).message };
      log.error({ task: describeTask(task), err }, 'compaction task failed');
    }
    tasks++;
    await unary(meta, 'ReportCompactTask', { task_id: taskId, worker_id: reportAs, ...report }, 30_000).catch((err: Error) =>
      log.warn({ err: err.message, taskId }, 'could not report a compaction task (meta gone?); its outputs become orphans'),
    );
  };

  const subscribe = (): void => {
    if (closed) return;
    const c = meta.SubscribeCompactTasks({ worker_id: workerId });
    call = c;
    c.on('data', (m: { task_id: string; task_json: string }) => {
      queue = queue.then(() => runTask(m.task_id, m.task_json));
    });
    let retried = false;
    const retry = (why: string) => {
      if (closed || retried || call !== c) return;
      retried = true;
      log.warn({ why }, 'task stream to meta lost; registering again');
      setTimeout(() => void register().then(subscribe, (err) => log.error({ err }, 'could not register with meta')), 500);
    };
    c.on('error', (e: Error) => retry(e.message));
    c.on('end', () => retry('ended'));
  };

  await register();
  subscribe();
  log.info({ workerId, meta: opts.meta }, 'compactor started');
  return {
    workerId: () => workerId,
    tasksRun: () => tasks,
    async close() {
      closed = true;
      call?.cancel();
      await queue.catch(() => {});
      meta.close();
    },
  };
}
