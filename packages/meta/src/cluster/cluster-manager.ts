import { EventEmitter } from 'node:events';
import type { Logger, StreamErrorReport } from '@tributary/common';
import { CF, type MetaStore } from '../meta-store/meta-store.ts';
import { pad } from '../catalog/catalog-manager.ts';
import { IdGenerator } from '../catalog/id-generator.ts';

export type WorkerRole = 'compute' | 'frontend' | 'compactor';

export interface WorkerInfo {
  workerId: number;
  role: WorkerRole;
  address: string;
  parallelism: number;
  /** Up once its control stream is attached (compute) or registered (others). */
  state: 'starting' | 'running' | 'down';
  startedAt: number;
}

/** Storage figures a compute node reports every few heartbeats. */
export interface WorkerStats {
  blockCache: { hits: number; misses: number; entries: number; sizeBytes: number };
  metaCache: { hits: number; misses: number; entries: number; sizeBytes: number };
  sharedBufferBytes: number;
}

/** What meta needs of a compute node's control stream. */
export interface ControlHandle {
  send(msg: object): void;
  close(): void;
}

/**
 * Cluster membership. A worker keeps its id across restarts (same address). Emits `up(worker)`
 * when a compute node's control stream attaches and `down(worker, reason)` when it closes.
 */
export class ClusterManager extends EventEmitter {
  private readonly workers = new Map<number, WorkerInfo>();
  private readonly controls = new Map<number, ControlHandle>();
  private readonly lastHeartbeatMs = new Map<number, number>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly ids: IdGenerator;

  constructor(
    private readonly store: MetaStore,
    private readonly log: Logger,
  ) {
    super();
    this.ids = new IdGenerator(store, 'worker', 100);
  }

  async load(): Promise<void> {
    for (const [, json] of await this.store.list(CF.workers)) {
      const w = JSON.parse(json) as WorkerInfo;
      if (w.role === 'compute') this.workers.set(w.workerId, { ...w, state: 'down' });
    }
  }

  /** Compute workers meta knew before this start (they are expected back). */
  knownComputeCount(): number {
    return [...this.workers.values()].filter((w) => w.role === 'compute').length;
  }

  async register(role: WorkerRole, address: string, parallelism: number): Promise<WorkerInfo> {
    let w = [...this.workers.values()].find((x) => x.role === role && x.address === address && role === 'compute');
    if (!w) {
      w = { workerId: await this.ids.nextId(), role, address, parallelism, state: 'starting', startedAt: Date.now() };
    } else {
      w = { ...w, parallelism, state: 'starting', startedAt: Date.now() };
    }
    this.workers.set(w.workerId, w);
    await this.store.txn([{ kind: 'put', cf: CF.workers, key: pad(w.workerId), value: JSON.stringify(w) }]);
    this.log.info({ workerId: w.workerId, role, address }, 'worker registered');
    return w;
  }

  /**
   * Fences compute nodes whose control stream is open but silent for `timeoutMs` (a hung or
   * partitioned process): their stream is closed and `down` is emitted.
   */
  startHeartbeatChecker(timeoutMs: number): void {
    const periodMs = Math.max(50, Math.floor(timeoutMs / 4));
    let lastCheckMs = Date.now();
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      // If this process itself stalled (a long synchronous task, GC), heartbeats that arrived are
      // still queued behind us: do not blame the nodes for our own pause.
      const stalledMs = now - lastCheckMs - periodMs;
      lastCheckMs = now;
      if (stalledMs > periodMs) {
        for (const workerId of this.controls.keys()) this.lastHeartbeatMs.set(workerId, now);
        return;
      }
      for (const [workerId, handle] of this.controls) {
        const last = this.lastHeartbeatMs.get(workerId) ?? now;
        if (now - last > timeoutMs) this.fence(workerId, `no heartbeat for ${now - last} ms (deadline ${timeoutMs} ms)`);
      }
    }, periodMs);
    this.heartbeatTimer.unref();
  }

  /**
   * Cuts a compute node off (its control stream is closed, `down` is emitted): what it sends
   * later is ignored until it registers again. For a node that is alive but cannot do its part.
   */
  fence(workerId: number, reason: string): void {
    const handle = this.controls.get(workerId);
    if (!handle) return;
    handle.close();
    this.detachControl(workerId, handle, reason);
  }

  stopHeartbeatChecker(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
  }

  private readonly stats = new Map<number, WorkerStats>();

  /** Latest storage figures a compute node reported (for /metrics). */
  setStats(workerId: number, stats: WorkerStats): void {
    this.stats.set(workerId, stats);
  }

  /** Per compute node, its totals of expression errors in streaming jobs (kept after it leaves). */
  private readonly streamErrorsByWorker = new Map<number, StreamErrorReport[]>();

  setStreamErrors(workerId: number, reports: StreamErrorReport[]): void {
    this.streamErrorsByWorker.set(workerId, reports);
  }

  /** Every node's expression-error totals, with the node's id. */
  streamErrors(): Array<StreamErrorReport & { workerId: number }> {
    return [...this.streamErrorsByWorker].flatMap(([workerId, list]) => list.map((r) => ({ ...r, workerId })));
  }

  workerStats(): Array<[WorkerInfo, WorkerStats]> {
    return [...this.stats].flatMap(([id, s]) => {
      const w = this.workers.get(id);
      return w && this.controls.has(id) ? [[w, s] as [WorkerInfo, WorkerStats]] : [];
    });
  }

  heartbeat(workerId: number): void {
    if (this.controls.has(workerId)) this.lastHeartbeatMs.set(workerId, Date.now());
  }

  attachControl(workerId: number, handle: ControlHandle): void {
    const w = this.workers.get(workerId);
    if (!w) throw new Error(`unknown worker ${workerId}`);
    this.controls.get(workerId)?.close();
    this.controls.set(workerId, handle);
    this.lastHeartbeatMs.set(workerId, Date.now());
    w.state = 'running';
    this.emit('up', w);
  }

  detachControl(workerId: number, handle: ControlHandle, reason: string): void {
    if (this.controls.get(workerId) !== handle) return;
    this.controls.delete(workerId);
    this.lastHeartbeatMs.delete(workerId);
    const w = this.workers.get(workerId);
    if (w) w.state = 'down';
    this.log.warn({ workerId, reason }, 'compute node lost');
    this.emit('down', w, reason);
  }

  /** Non-compute workers (frontends) are up while their notification stream is open. */
  setStreamState(workerId: number, up: boolean): void {
    const w = this.workers.get(workerId);
    if (w && w.role !== 'compute') w.state = up ? 'running' : 'down';
  }

  /** Forgets workers that are down and not compute nodes (frontends come back with new ids). */
  pruneDownFrontends(): void {
    for (const [id, w] of this.workers) if (w.role !== 'compute' && w.state === 'down') this.workers.delete(id);
  }

  /**
   * After meta's first recovery: compute workers from before the restart that did not come back
   * are forgotten (a playground's compute node gets a new port, hence a new worker, every start).
   */
  async forgetAbsentCompute(): Promise<void> {
    const gone = [...this.workers.values()].filter((w) => w.role === 'compute' && w.state === 'down');
    for (const w of gone) this.workers.delete(w.workerId);
    if (gone.length > 0) await this.store.txn(gone.map((w) => ({ kind: 'delete' as const, cf: CF.workers, key: pad(w.workerId) })));
  }

  control(workerId: number): ControlHandle | undefined {
    return this.controls.get(workerId);
  }

  liveCompute(): WorkerInfo[] {
    return [...this.workers.values()].filter((w) => w.role === 'compute' && this.controls.has(w.workerId));
  }

  all(): WorkerInfo[] {
    return [...this.workers.values()];
  }
}
