import {
  barrierToJson, createLogger, DbError, epochFromMs, nextEpoch, SqlState, type ActorBackfillProgress, type Barrier, type BarrierKind,
  type Logger,
} from '@tributary/common';
import { BackfillTracker } from '../stream/backfill-tracker.ts';
import type { SstInfo } from '@tributary/storage/version';
import type { BarrierCommand } from './command.ts';
import type { ClusterManager, WorkerInfo } from '../cluster/cluster-manager.ts';
import type { HummockManager } from '../hummock/hummock-manager.ts';
import type { StreamManager } from '../stream/stream-manager.ts';
import type { ComputeClients } from '../stream/compute-clients.ts';
import type { RecoveryLog } from './recovery-log.ts';
import type { EpochFence } from './epoch-fence.ts';

export interface BarrierManagerOptions {
  barrierIntervalMs: number;
  /** Barriers per checkpoint (1 = every barrier is a checkpoint). */
  checkpointFrequency: number;
  maxInflightBarriers: number;
  /**
   * Least time between two barriers. FLUSH and DDL ask for a barrier at once; requests within this
   * window share one checkpoint (group commit), bounding the checkpoint rate under many writers.
   */
  minBarrierSpacingMs: number;
  /**
   * How long recovery waits for a lost compute node to come back before moving its actors to the
   * live nodes (0 = move them at once).
   */
  recoveryGraceMs: number;
  /**
   * A barrier that some compute node has not completed this long after injection (an actor stuck
   * without failing, an upload that never ends) triggers a recovery; 0 disables the check.
   */
  barrierCollectTimeoutMs?: number;
  /** At start, how long to wait for previously known compute nodes before the first recovery. */
  startupWaitMs: number;
  /**
   * A compute node joining with no actors is left to the online rebalance (RebalanceManager);
   * false: it triggers a recovery, which spreads the actors onto it.
   */
  rebalanceOnJoin: boolean;
}

interface Inflight {
  barrier: Barrier;
  pending: Set<number>;
  ssts: SstInfo[];
  /** Backfill progress the nodes reported with this barrier. */
  backfill: ActorBackfillProgress[];
  injectedAtMs: number;
  command?: BarrierCommand;
  flushWaiters: Array<{ resolve(e: bigint): void; reject(e: Error): void }>;
}

/**
 * The barrier manager (RisingWave's GlobalBarrierManager), as a loop:
 *
 * 1. Every `barrierIntervalMs` (or at once when a command or FLUSH asks) inject a barrier
 *    {prev = last injected epoch, curr = next epoch} into every live compute node, naming the
 *    actors each must collect. A pending command's `prepare` runs first and its mutation rides on
 *    the barrier.
 * 2. Nodes report completion (with the SSTs of `prev` for a checkpoint). Completed barriers commit
 *    strictly in epoch order: one meta-store transaction holds the version delta and the ops of
 *    commands finishing at that epoch.
 * 3. Any failure (a node's control stream closes, a node reports an error) stops injection and
 *    runs recovery: reset every live node, place every actor on them, rebuild, and inject an
 *    `initial` barrier whose prev epoch is the committed epoch. A node joining empty is not a
 *    failure: the RebalanceManager moves actors onto it online with an `update` command.
 */
export class BarrierManager {
  private state: 'starting' | 'recovering' | 'running' | 'stopped' = 'starting';
  private lastEpoch = 0n;
  private injected = 0;
  private readonly inflight: Inflight[] = [];
  private readonly commands: BarrierCommand[] = [];
  /** Commands whose barrier was sent, until they finish; `survived`: recoveries outlived. */
  private readonly waitingCommits: Array<{ epoch: bigint; command: BarrierCommand; survived?: number }> = [];
  private flushWaiters: Inflight['flushWaiters'] = [];
  private exclusive: BarrierCommand | null = null;
  private timer: NodeJS.Timeout | null = null;
  private injecting = false;
  private lastInjectAtMs = 0;
  private wakeup: NodeJS.Timeout | null = null;
  private committing: Promise<void> = Promise.resolve();
  private recoveryRequested: string | null = null;
  private recovering: Promise<void> | null = null;
  private readonly runningWaiters: Array<() => void> = [];
  private readonly log: Logger = createLogger('barrier-manager');
  /** Progress of the backfills of jobs being created, as of the last committed barrier. */
  readonly backfill = new BackfillTracker();
  /** Inject-to-commit latency of recent checkpoints (for benchmarks and metrics). */
  readonly commitLatenciesMs: number[] = [];

  constructor(
    private readonly opts: BarrierManagerOptions,
    private readonly cluster: ClusterManager,
    private readonly hummock: HummockManager,
    private readonly streams: StreamManager,
    private readonly computes: ComputeClients,
    private readonly recoveryLog: RecoveryLog,
    private readonly fence: EpochFence,
    private readonly onCommitted: (epoch: bigint) => void,
  ) {}

  /** Throws unless `epoch` is committed (and was not discarded by a recovery). */
  checkCommitted(epoch: bigint): void {
    if (epoch > this.hummock.committedEpoch) {
      throw new DbError(SqlState.ObjectNotInPrerequisiteState, `epoch ${epoch} is not committed yet`);
    }
    this.fence.check(epoch);
  }

  start(): void {
    this.cluster.on('down', (w: WorkerInfo, reason: string) => this.requestRecovery(`compute node ${w?.workerId} lost: ${reason}`, w?.workerId));
    this.cluster.on('up', (w: WorkerInfo) => {
      if (this.state === 'starting') return;
      // A node meta still placed actors on came back without them (restarted before its old
      // stream was seen closing): only a recovery repairs that.
      if (this.streams.actorsByWorker().has(w.workerId)) this.requestRecovery(`compute node ${w.workerId} rejoined while actors were placed on it`, w.workerId);
      else if (!this.opts.rebalanceOnJoin) this.requestRecovery(`compute node ${w.workerId} joined`);
    });
    this.timer = setInterval(() => this.tick(), this.opts.barrierIntervalMs);
    void this.startup();
  }

  stop(): void {
    this.state = 'stopped';
    if (this.timer) clearInterval(this.timer);
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** A command's barrier is injected but its command has not finished yet. */
  hasCommandInFlight(): boolean {
    return this.waitingCommits.length > 0 || this.inflight.some((e) => e.command !== undefined);
  }

  /** Queues a command; resolves when it has finished (its ops are committed). */
  run(command: BarrierCommand): Promise<bigint> {
    return new Promise((resolve, reject) => {
      const wrapped: BarrierCommand = {
        ...command,
        afterFinish: (epoch) => {
          this.releaseExclusive(wrapped);
          command.afterFinish(epoch);
          resolve(epoch);
        },
        abort: (err) => {
          this.releaseExclusive(wrapped);
          command.abort(err);
          reject(err);
        },
      };
      this.commands.push(wrapped);
      this.requestBarrier();
    });
  }

  private releaseExclusive(command: BarrierCommand): void {
    if (this.exclusive !== command) return;
    this.exclusive = null;
    if (this.commands.length > 0) this.requestBarrier();
  }

  /** Resolves with a committed epoch that includes every write acknowledged before the call. */
  flush(): Promise<bigint> {
    return new Promise((resolve, reject) => {
      this.flushWaiters.push({ resolve, reject });
      this.requestBarrier();
    });
  }

  /** Resolves once the cluster is running (recovered). */
  waitRunning(): Promise<void> {
    if (this.state === 'running') return Promise.resolve();
    return new Promise((resolve) => this.runningWaiters.push(resolve));
  }

  private async startup(): Promise<void> {
    // Wait for the first compute node, then briefly for the others meta knew before.
    const deadline = () => Date.now() + this.opts.startupWaitMs;
    let until = 0;
    while (this.state === 'starting') {
      const live = this.cluster.liveCompute().length;
      if (live > 0 && until === 0) until = deadline();
      if (live > 0 && (live >= this.cluster.knownComputeCount() || Date.now() >= until)) break;
      await sleep(50);
    }
    if (this.state === 'starting') this.requestRecovery('meta started');
  }

  /** Injects a barrier as soon as the spacing allows (group commit for FLUSH and DDL). */
  private requestBarrier(): void {
    if (this.wakeup) return;
    const waitMs = Math.max(0, this.lastInjectAtMs + this.opts.minBarrierSpacingMs - Date.now());
    this.wakeup = setTimeout(() => {
      this.wakeup = null;
      this.tick();
    }, waitMs);
  }

  private tick(): void {
    if (this.state !== 'running') return;
    if (this.barrierStuck()) return;
    if (this.injecting) return;
    if (this.inflight.length >= this.opts.maxInflightBarriers) return;
    this.injecting = true;
    this.injectNext().then(
      () => {
        this.injecting = false;
        if ((this.commands.length > 0 && !this.exclusive) || this.flushWaiters.length > 0) this.requestBarrier();
      },
      (err: unknown) => {
        this.injecting = false;
        this.requestRecovery(`barrier injection failed: ${(err as Error).message}`);
      },
    );
  }

  private async injectNext(): Promise<void> {
    // While an exclusive command has not finished, others wait (plain barriers still flow).
    const command = this.exclusive ? undefined : this.commands.shift();
    if (command?.exclusive) this.exclusive = command;
    if (command) {
      try {
        await command.prepare();
      } catch (err) {
        command.abort(err as Error);
        throw err;
      }
    }
    this.injected++;
    const kind: BarrierKind = this.injected % this.opts.checkpointFrequency === 0 || command || this.flushWaiters.length > 0 ? 'checkpoint' : 'barrier';
    const barrier: Barrier = { prevEpoch: this.lastEpoch, currEpoch: nextEpoch(this.lastEpoch), kind, mutation: command?.mutation() };
    const flushWaiters = this.flushWaiters;
    this.flushWaiters = [];
    this.inject(barrier, command, flushWaiters);
    command?.afterInject?.();
  }

  private inject(barrier: Barrier, command: BarrierCommand | undefined, flushWaiters: Inflight['flushWaiters']): void {
    const byWorker = this.streams.actorsByWorker();
    const workers = this.cluster.liveCompute();
    const entry: Inflight = { barrier, pending: new Set(workers.map((w) => w.workerId)), ssts: [], backfill: [], injectedAtMs: performance.now(), command, flushWaiters };
    this.inflight.push(entry);
    this.lastEpoch = barrier.currEpoch;
    this.lastInjectAtMs = Date.now();
    const json = barrierToJson(barrier);
    for (const w of workers) {
      this.cluster.control(w.workerId)!.send({ inject: { barrier_json: json, actors_to_collect: byWorker.get(w.workerId) ?? [] } });
    }
    if (workers.length === 0) void this.maybeCommit();
  }

  /** A compute node finished a barrier. */
  onBarrierComplete(workerId: number, currEpoch: bigint, ssts: SstInfo[], error: string, backfill: ActorBackfillProgress[] = []): void {
    if (error) {
      this.requestRecovery(`compute node ${workerId} failed barrier ${currEpoch}: ${error}`, workerId);
      return;
    }
    const entry = this.inflight.find((e) => e.barrier.currEpoch === currEpoch);
    if (!entry || !entry.pending.delete(workerId)) return; // stale (from before a recovery)
    entry.ssts.push(...ssts);
    entry.backfill.push(...backfill);
    void this.maybeCommit();
  }

  private maybeCommit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      while (this.inflight.length > 0 && this.inflight[0].pending.size === 0 && this.state !== 'stopped') {
        const entry = this.inflight[0];
        try {
          await this.commit(entry);
        } catch (err) {
          this.requestRecovery(`commit failed: ${(err as Error).message}`);
          return;
        }
        this.inflight.shift();
      }
    });
    return this.committing;
  }

  private async commit(entry: Inflight): Promise<void> {
    const { barrier, command } = entry;
    const epoch = barrier.prevEpoch;
    if (command) this.waitingCommits.push({ epoch: command.finishAt === 'prev' ? barrier.prevEpoch : barrier.currEpoch, command });
    this.backfill.apply(entry.backfill);
    const finishing = this.waitingCommits.filter((w) => w.epoch <= epoch && (w.command.ready?.() ?? true));
    if (barrier.kind === 'initial') {
      if (this.state === 'recovering') this.markRunning();
    } else if (barrier.kind === 'checkpoint') {
      const ops = finishing.flatMap((f) => f.command.finishOps(epoch));
      await this.hummock.commitEpoch(epoch, entry.ssts, ops);
      for (const f of finishing) this.waitingCommits.splice(this.waitingCommits.indexOf(f), 1);
      for (const f of finishing) f.command.afterFinish(epoch);
      this.onCommitted(epoch);
      this.commitLatenciesMs.push(performance.now() - entry.injectedAtMs);
      if (this.commitLatenciesMs.length > 10_000) this.commitLatenciesMs.shift();
    }
    for (const w of entry.flushWaiters) w.resolve(this.hummock.committedEpoch);
  }

  private markRunning(): void {
    this.state = 'running';
    for (const w of this.runningWaiters.splice(0)) w();
  }

  /** Requests a recovery when the oldest uncollected barrier is past `barrierCollectTimeoutMs`. */
  private barrierStuck(): boolean {
    const timeoutMs = this.opts.barrierCollectTimeoutMs ?? 0;
    const stuck = this.inflight.find((e) => e.pending.size > 0);
    if (timeoutMs <= 0 || !stuck || performance.now() - stuck.injectedAtMs < timeoutMs) return false;
    const waiting = [...stuck.pending];
    this.requestRecovery(`barrier ${stuck.barrier.currEpoch} not collected within ${timeoutMs} ms (waiting for compute node ${waiting.join(', ')})`, waiting.length === 1 ? waiting[0] : undefined);
    return true;
  }

  requestRecovery(reason: string, failedWorker?: number): void {
    if (this.state === 'stopped') return;
    this.recoveryRequested = reason;
    if (!this.recovering) {
      this.recovering = this.recoverLoop(failedWorker).finally(() => (this.recovering = null));
    }
  }

  /**
   * Recovers until no new failure is pending. Failures reported while an attempt runs (e.g. the
   * survivors' exchanges to a killed node breaking) start another attempt at once; the recovery
   * is recorded once, from the first detection and its reason to the attempt that succeeded.
   */
  private async recoverLoop(failedWorker?: number): Promise<void> {
    let first: { reason: string; detectedAt: number; before: bigint } | null = null;
    while (this.recoveryRequested && this.state !== 'stopped') {
      const reason = this.recoveryRequested;
      this.recoveryRequested = null;
      first ??= { reason, detectedAt: Date.now(), before: this.hummock.committedEpoch };
      this.state = 'recovering';
      this.log.info({ reason }, 'recovery started');
      this.failInflight(new DbError(SqlState.ObjectNotInPrerequisiteState, `the cluster is recovering (${reason}); retry`));
      if (failedWorker !== undefined && this.opts.recoveryGraceMs > 0) await this.waitForWorker(failedWorker, this.opts.recoveryGraceMs);
      try {
        await this.recoverOnce();
      } catch (err) {
        // Superseded by a newer failure: go again now. Any other error (an RPC to a node failed):
        // back off a little first.
        const superseded = this.recoveryRequested !== null;
        this.log.warn({ err: (err as Error).message }, 'recovery attempt failed; retrying');
        if (!this.recoveryRequested) this.recoveryRequested = reason;
        await sleep(superseded ? 20 : 500);
        continue;
      }
      if (!this.recoveryRequested) {
        const recoveredAt = Date.now();
        this.recoveryLog.record({ reason: first.reason, failedWorker: failedWorker ?? null, detectedAt: first.detectedAt, recoveredAt, epochBefore: first.before, epochAfter: this.hummock.committedEpoch });
        this.log.info({ reason: first.reason, rtoMs: recoveredAt - first.detectedAt }, 'recovery finished');
        first = null;
      }
    }
  }

  /** Grace period: gives a lost node the chance to return before its actors move elsewhere. */
  private async waitForWorker(workerId: number, graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    this.log.info({ workerId, graceMs }, 'waiting for the lost compute node to return');
    while (Date.now() < deadline && this.state !== 'stopped') {
      if (this.cluster.liveCompute().some((w) => w.workerId === workerId)) return;
      await sleep(50);
    }
  }

  private failInflight(err: Error): void {
    for (const e of this.inflight.splice(0)) {
      for (const w of e.flushWaiters) w.reject(err);
      e.command?.abort(err);
    }
    const kept: typeof this.waitingCommits = [];
    for (const w of this.waitingCommits.splice(0)) {
      if ((w.survived ?? 0) < (w.command.survivesRecoveries ?? 0)) kept.push({ ...w, survived: (w.survived ?? 0) + 1 });
      else w.command.abort(err);
    }
    this.waitingCommits.push(...kept);
    for (const w of this.flushWaiters.splice(0)) w.reject(err);
  }

  private async recoverOnce(): Promise<void> {
    await this.committing;
    // Everything injected after the committed epoch is thrown away by the reset below; at startup
    // that includes whatever a previous meta injected (up to now).
    const discardUpTo = this.lastEpoch > 0n ? this.lastEpoch : epochFromMs(Date.now());
    await this.fence.discard(this.hummock.committedEpoch, discardUpTo);
    let workers = this.cluster.liveCompute();
    while (workers.length === 0) {
      await sleep(100);
      if (this.state === 'stopped') return;
      workers = this.cluster.liveCompute();
    }
    const version = this.hummock.version;
    const t0 = performance.now();
    // A node that cannot reset (e.g. stuck in an upload; the call has a deadline) is fenced: the
    // next attempt goes on without it, and it comes back by registering again.
    const resets = await Promise.allSettled(workers.map((w) => this.computes.reset(w.address, version)));
    const failed = workers.filter((_, i) => resets[i].status === 'rejected');
    if (failed.length > 0) {
      const why = (resets.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
      for (const w of failed) this.cluster.fence(w.workerId, `reset failed during recovery: ${why.message}`);
      throw new Error(`reset failed on compute node ${failed.map((w) => w.workerId).join(', ')}: ${why.message}`);
    }
    const tReset = performance.now();
    this.streams.placeAll(workers.map((w) => ({ workerId: w.workerId, address: w.address, parallelism: w.parallelism })));
    const descs = this.streams.actorDescs();
    await Promise.all(workers.map((w) => this.computes.buildActors(w.address, descs.get(w.workerId) ?? [])));
    const tBuild = performance.now();
    if (this.recoveryRequested) throw new Error('another failure during recovery');
    const committed = this.hummock.committedEpoch;
    this.lastEpoch = committed;
    // New epochs start above the discarded range, so no new write lands in a fenced epoch.
    const initial: Barrier = { prevEpoch: committed, currEpoch: nextEpoch(discardUpTo > committed ? discardUpTo : committed), kind: 'initial' };
    const done = new Promise<void>((resolve) => this.runningWaiters.push(resolve));
    this.inject(initial, undefined, []);
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('initial barrier not collected in 30 s')), 30_000);
      // A node lost meanwhile never completes the initial barrier: start over at once.
      poll = setInterval(() => {
        if (this.recoveryRequested) reject(new Error('another failure during recovery'));
      }, 50);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
      clearInterval(poll);
    }
    this.log.info(
      { resetMs: Math.round(tReset - t0), buildMs: Math.round(tBuild - tReset), initialBarrierMs: Math.round(performance.now() - tBuild), workers: workers.length },
      'recovery phases',
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
