import { taskToJson, type CompactStats, type CompactTask } from '@tributary/storage/compactor';
import type { SstInfo } from '@tributary/storage/version';
import type { Logger } from '@tributary/common';

/** Where meta sends a compactor its tasks (the server side of SubscribeCompactTasks). */
export interface CompactorSink {
  write(msg: { task_id: string; task_json: string }): void;
}

/** A compactor's report (ReportCompactTask). */
export interface CompactTaskReport {
  taskId: number;
  workerId: number;
  outputs: SstInfo[];
  stats: CompactStats | null;
  error: string;
}

interface Pending {
  workerId: number;
  resolve(r: { outputs: SstInfo[]; stats: CompactStats }): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The compactor nodes connected to meta, and the tasks they run.
 *
 * 1. A compactor subscribes (`attach`); meta hands each task to the next one, round robin.
 * 2. `run` resolves with the outputs the compactor reports, or rejects when it reports an error,
 *    disconnects (`detach`: its running tasks fail) or exceeds `taskTimeoutMs`.
 * 3. A late report of a task meta gave up on is ignored (its outputs become orphans: vacuum).
 */
export class RemoteCompactors {
  private readonly sinks = new Map<number, CompactorSink>();
  private readonly pending = new Map<number, Pending>();
  private nextTaskId = 1;
  private turn = 0;

  constructor(
    private readonly log: Logger,
    private readonly taskTimeoutMs = 30 * 60_000,
  ) {}

  attach(workerId: number, sink: CompactorSink): void {
    this.sinks.set(workerId, sink);
    this.log.info({ workerId, compactors: this.sinks.size }, 'compactor attached');
  }

  detach(workerId: number, sink: CompactorSink): void {
    if (this.sinks.get(workerId) !== sink) return;
    this.sinks.delete(workerId);
    for (const [taskId, p] of this.pending) {
      if (p.workerId !== workerId) continue;
      this.settle(taskId)?.reject(new Error(`compactor ${workerId} disconnected while running the task`));
    }
    this.log.warn({ workerId, compactors: this.sinks.size }, 'compactor detached');
  }

  /** Connected compactors. */
  count(): number {
    return this.sinks.size;
  }

  run(task: CompactTask): Promise<{ outputs: SstInfo[]; stats: CompactStats }> {
    const workers = [...this.sinks.keys()];
    if (workers.length === 0) return Promise.reject(new Error('no compactor is connected'));
    const workerId = workers[this.turn++ % workers.length];
    const taskId = this.nextTaskId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(taskId)?.reject(new Error(`compactor ${workerId} did not finish the task within ${this.taskTimeoutMs} ms`)), this.taskTimeoutMs);
      timer.unref();
      this.pending.set(taskId, { workerId, resolve, reject, timer });
      try {
        this.sinks.get(workerId)!.write({ task_id: String(taskId), task_json: taskToJson(task) });
      } catch (err) {
        this.settle(taskId)?.reject(err as Error);
      }
    });
  }

  onReport(r: CompactTaskReport): void {
    const p = this.pending.get(r.taskId);
    if (!p || p.workerId !== r.workerId) {
      this.log.warn({ taskId: r.taskId, workerId: r.workerId }, 'ignoring the report of a task meta no longer waits for');
      return;
    }
    this.settle(r.taskId);
    if (r.error) p.reject(new Error(`compactor ${r.workerId}: ${r.error}`));
    else p.resolve({ outputs: r.outputs, stats: r.stats! });
  }

  private settle(taskId: number): Pending | undefined {
    const p = this.pending.get(taskId);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(taskId);
    return p;
  }
}
