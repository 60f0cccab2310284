import { createLogger, type UpdateMutation } from '@tributary/common';
import type { BarrierCommand } from '../barrier/command.ts';
import type { BarrierManager } from '../barrier/barrier-manager.ts';
import type { RebalanceEvent, RebalanceLog } from '../barrier/rebalance-log.ts';
import type { IdGenerator } from '../catalog/id-generator.ts';
import type { ClusterManager, WorkerInfo } from '../cluster/cluster-manager.ts';
import type { ComputeClients } from './compute-clients.ts';
import type { StreamJob } from './stream-job.ts';
import type { PlacementWorker, StreamManager } from './stream-manager.ts';
import type { ActorMove } from './rebalance-plan.ts';
import { updateMutation as updateMutationOf } from './update-mutation.ts';

export interface RebalanceOptions {
  /** Settle time after a compute node joins before actors move to it (more may join meanwhile). */
  delayMs: number;
}

export interface RebalanceDeps {
  cluster: ClusterManager;
  streams: StreamManager;
  barriers: BarrierManager;
  computes: ComputeClients;
  actorIds: IdGenerator;
  log: RebalanceLog;
  /** Jobs whose creation committed (a job still being created is never moved). */
  isCreated(jobId: number): boolean;
  /** Tells frontends about the new placement. */
  notify(): void;
}

/**
 * Online rebalance (RisingWave's scale/reschedule), when a compute node joins:
 *
 * 1. After `delayMs`, once the cluster runs (never during a recovery), plan moves that spread
 *    every movable fragment evenly over the live workers (`planMoves`).
 * 2. As a barrier command: build a replacement actor (same vnodes, new id) on the target worker
 *    for every moved actor, and inject a checkpoint barrier carrying the `update` mutation
 *    (`updateMutation`: upstream dispatchers switch outputs, merges swap inputs, moved actors
 *    stop). The new actors read their state from the committed epoch once it commits.
 * 3. The jobs' new actor lists and the rebalance event are written in the same meta-store
 *    transaction as the commit of that barrier's prev epoch: a crash before leaves the old
 *    placement, after it the new one; recovery rebuilds either from the committed state.
 * 4. If nothing can move online but a full recovery would give the joined node work (e.g. only
 *    tables, sources or singleton fragments exist), fall back to a recovery.
 */
export class RebalanceManager {
  private readonly logger = createLogger('rebalance');
  private timer: NodeJS.Timeout | null = null;
  private reasons: string[] = [];
  private running = false;
  private stopped = false;

  constructor(
    private readonly opts: RebalanceOptions,
    private readonly d: RebalanceDeps,
  ) {}

  start(): void {
    if (this.opts.delayMs < 0) return;
    this.d.cluster.on('up', (w: WorkerInfo) => this.onWorkerJoined(w));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  onWorkerJoined(w: WorkerInfo): void {
    this.reasons.push(`compute node ${w.workerId} joined`);
    this.schedule(this.opts.delayMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce();
    }, delayMs);
  }

  private async runOnce(): Promise<void> {
    if (this.running) return this.schedule(this.opts.delayMs);
    this.running = true;
    try {
      await this.d.barriers.waitRunning();
      if (this.stopped || this.reasons.length === 0) return;
      const reason = this.reasons.splice(0).join('; ');
      const outcome = await this.rebalance(reason);
      if (outcome === 'deferred') {
        this.reasons.push(reason);
        this.schedule(this.opts.delayMs);
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'rebalance did not complete (the recovery that followed placed the actors)');
    } finally {
      this.running = false;
    }
  }

  /** Runs one rebalance; resolves with what happened. */
  async rebalance(reason: string): Promise<'moved' | 'balanced' | 'deferred' | 'recovery'> {
    // A DDL in flight (a job being created is never moved): decide once it finished.
    if (this.d.barriers.hasCommandInFlight()) return 'deferred';
    const workers = this.liveWorkers();
    if (this.d.streams.planRebalance(workers, (id) => this.d.isCreated(id)).length === 0) return this.fallbackIfUseful(reason, workers);
    let outcome: 'moved' | 'balanced' | 'deferred' = 'balanced';
    await this.d.barriers.run(this.command(reason, (o) => (outcome = o)));
    return outcome;
  }

  private liveWorkers(): PlacementWorker[] {
    return this.d.cluster.liveCompute().map((w) => ({ workerId: w.workerId, address: w.address, parallelism: w.parallelism }));
  }

  /** A full recovery when it would use a worker that runs nothing and no actor can move online. */
  private fallbackIfUseful(reason: string, workers: PlacementWorker[]): 'balanced' | 'recovery' {
    const busy = new Set(this.d.streams.actorPlacements().map((a) => a.workerId));
    const idle = workers.filter((w) => !busy.has(w.workerId)).map((w) => w.workerId);
    const used = this.d.streams.workersUsedByFullPlacement(workers);
    const gaining = idle.filter((w) => used.has(w));
    if (gaining.length === 0) return 'balanced';
    const now = Date.now();
    this.d.log.record(this.d.log.create({ reason, mode: 'recovery', startedAt: now, finishedAt: now, epoch: null, movedActors: 0, fragments: 0, toWorkers: gaining }));
    this.logger.info({ reason, workers: gaining }, 'rebalance: no actor can move online; falling back to recovery');
    this.d.barriers.requestRecovery(`rebalance onto compute node(s) ${gaining.join(', ')} (${reason})`);
    return 'recovery';
  }

  private command(reason: string, report: (o: 'moved' | 'balanced' | 'deferred') => void): BarrierCommand {
    let applied: { before: StreamJob[]; after: StreamJob[]; started: number[] } | null = null;
    let mutation: UpdateMutation | undefined;
    let moves: ActorMove[] = [];
    let startedAt = 0;
    let event: RebalanceEvent | null = null;
    return {
      describe: `rebalance (${reason})`,
      finishAt: 'prev',
      exclusive: true,
      prepare: async () => {
        startedAt = Date.now();
        // Another command's barrier not yet committed may have unplaced actors (DROP) or placed
        // a job that is not durable (CREATE): try again later.
        if (this.d.barriers.hasCommandInFlight()) return report('deferred');
        const workers = this.liveWorkers();
        moves = this.d.streams.planRebalance(workers, (id) => this.d.isCreated(id));
        if (moves.length === 0) return report('balanced');
        const base = await this.d.actorIds.nextIds(moves.length);
        if (!this.d.barriers.isRunning) throw new Error('a recovery started');
        const newIds = moves.map((_, i) => base + i);
        const before = this.d.streams.actorDescsById();
        applied = this.d.streams.applyMoves(moves, newIds, workers);
        const after = this.d.streams.actorDescsById();
        mutation = updateMutationOf(before, after);
        try {
          await Promise.all(
            workers.map((w) => this.d.computes.buildActors(w.address, applied!.started.filter((id) => this.d.streams.workerOf(id)?.workerId === w.workerId).map((id) => after.get(id)!))),
          );
          if (!this.d.barriers.isRunning) throw new Error('a recovery started');
        } catch (err) {
          this.d.streams.revertMoves(applied);
          applied = null;
          throw err;
        }
        report('moved');
      },
      mutation: () => mutation,
      afterInject: () => {
        if (mutation) this.d.streams.unplace(mutation.stops);
      },
      finishOps: (epoch) => {
        if (!applied) return [];
        event = this.d.log.create({
          reason,
          mode: 'online',
          startedAt,
          finishedAt: Date.now(),
          epoch,
          movedActors: moves.length,
          fragments: new Set(moves.map((m) => m.fragmentId)).size,
          toWorkers: [...new Set(moves.map((m) => m.toWorker))].sort((a, b) => a - b),
        });
        crashPoint('rebalance-before-commit');
        return [...applied.after.map((j) => this.d.streams.putOp(j)), ...this.d.log.putOps(event)];
      },
      afterFinish: (epoch) => {
        if (!applied || !event) return;
        crashPoint('rebalance-after-commit');
        this.d.log.applied(event);
        this.logger.info(
          { reason, movedActors: event.movedActors, fragments: event.fragments, toWorkers: event.toWorkers, epoch: epoch.toString(), durationMs: event.finishedAt - startedAt },
          'rebalance finished online',
        );
        this.d.notify();
      },
      abort: (err) => {
        if (applied) this.d.streams.revertMoves(applied);
        applied = null;
        this.logger.warn({ reason, err: err.message }, 'rebalance aborted by a recovery');
      },
    };
  }
}

/** Tests: `TRIBUTARY_TEST_CRASH_AT=<point>` kills meta at that point (atomicity of a rebalance). */
function crashPoint(point: string): void {
  if (process.env.TRIBUTARY_TEST_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
