import { Compactor, describeTask, pick, pickManual, pickReclaim, type CompactStats, type CompactTask } from '@tributary/storage/compactor';
import type { ObjectStore } from '@tributary/storage/object-store';
import type { Logger } from '@tributary/common';
import type { HummockManager } from './hummock-manager.ts';
import type { HummockConfig } from './hummock-config.ts';
import type { RemoteCompactors } from './remote-compactors.ts';

/** Outcome of one task, for logs and `ctl hummock compact`. */
export interface CompactionResult {
  task: string;
  status: 'committed' | 'stale' | 'failed';
  /** Where it ran: in meta, or on a compactor node. */
  ranOn: 'meta' | 'compactor';
  stats?: CompactStats;
  error?: string;
}

/**
 * Schedules compaction, one task at a time: on a compactor node when one is connected, else in the
 * meta process itself.
 *
 * 1. `kick()` (after every epoch commit) starts a run unless one is going or a failure is cooling down.
 * 2. A run loops: pick a task from the current version (pure picker; with nothing else to do, a
 *    space-reclaim task for an SST holding dropped tables), stamp the safe epoch and the dropped
 *    table ids (every task removes their keys), run it
 *    (RemoteCompactors, or the local Compactor: object store I/O only), commit it through
 *    HummockManager.commitCompaction.
 * 3. A task whose inputs vanished meanwhile is stale: its outputs are deleted, nothing commits.
 *    A failed task (e.g. a corrupted input) is logged; picking pauses for `compactionRetryMs`.
 * 4. Every committed version goes to `onVersion` (meta notifies compute nodes and frontends).
 */
export class CompactionScheduler {
  private readonly compactor: Compactor;
  private running: Promise<void> | null = null;
  private pausedUntilMs = 0;
  private stopped = false;
  /** Objects a running local task has written but not committed (vacuum must leave them alone). */
  readonly inFlightOutputs = new Set<string>();
  /**
   * Per running remote task, an SST id allocated when it was sent: a compactor's outputs get
   * later ids, so vacuum leaves every object at or above the smallest one alone.
   */
  private readonly remoteIdFloors = new Set<number>();
  readonly recent: CompactionResult[] = [];

  constructor(
    private readonly hummock: HummockManager,
    private readonly objectStore: ObjectStore,
    clusterPrefix: string,
    private readonly config: HummockConfig,
    private readonly onVersion: () => void,
    private readonly log: Logger,
    private readonly remote: RemoteCompactors | null = null,
  ) {
    this.compactor = new Compactor({
      objectStore,
      clusterPrefix,
      allocateSstIds: async (n) => {
        const start = await hummock.allocateSstIds(n);
        return Array.from({ length: n }, (_, i) => start + i);
      },
      onOutput: (path) => this.inFlightOutputs.add(path),
    });
  }

  /** True while a running task may still be writing `objectPath` (vacuum must keep it). */
  isProtected(objectPath: string): boolean {
    if (this.inFlightOutputs.has(objectPath)) return true;
    if (this.remoteIdFloors.size === 0) return false;
    const m = /\/sst\/(\d+)\.data$/.exec(objectPath);
    return m !== null && Number(m[1]) >= Math.min(...this.remoteIdFloors);
  }

  /** Starts a background run if there may be work. Never throws. */
  kick(): void {
    if (this.stopped || this.running || Date.now() < this.pausedUntilMs) return;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Runs one task now, even below the triggers (waits for a background run first). Null when there is nothing to compact. */
  async compactNow(): Promise<CompactionResult | null> {
    while (this.running) await this.running;
    const task = pickManual(this.hummock.version, this.config.compaction) ?? pickReclaim(this.hummock.version, this.hummock.droppedTableIds, this.config.compaction);
    return task ? this.runTask(task) : null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const task = pick(this.hummock.version, this.config.compaction) ?? pickReclaim(this.hummock.version, this.hummock.droppedTableIds, this.config.compaction);
      if (!task) {
        await this.hummock.pruneDroppedTables();
        return;
      }
      const r = await this.runTask(task);
      if (r.status === 'failed') {
        this.pausedUntilMs = Date.now() + this.config.compactionRetryMs;
        return;
      }
    }
  }

  private async runTask(picked: CompactTask): Promise<CompactionResult> {
    const safeEpoch = this.hummock.safeEpoch(Date.now(), this.config.safeEpochGraceMs);
    const task = { ...picked, safeEpoch, droppedTableIds: [...this.hummock.droppedTableIds] };
    const name = describeTask(task);
    const ranOn = this.remote && this.remote.count() > 0 && !task.trivialMove ? 'compactor' : 'meta';
    let result: CompactionResult;
    let idFloor: number | null = null;
    try {
      if (ranOn === 'compactor') this.remoteIdFloors.add((idFloor = await this.hummock.allocateSstIds(1)));
      const { outputs, stats } = ranOn === 'compactor' ? await this.remote!.run(task) : await this.compactor.run(task);
      try {
        const committed = await this.hummock.commitCompaction(task, outputs);
        if (committed) {
          result = { task: name, status: 'committed', ranOn, stats };
          this.onVersion();
        } else {
          result = { task: name, status: 'stale', ranOn, stats };
          if (!task.trivialMove) await Promise.all(outputs.map((o) => this.objectStore.delete(o.objectPath).catch(() => {})));
        }
      } finally {
        for (const o of outputs) this.inFlightOutputs.delete(o.objectPath);
      }
      this.log.info({ task: name, status: result.status, ranOn, ...stats }, 'compaction task finished');
    } catch (err) {
      this.inFlightOutputs.clear(); // the compactor deleted its partial outputs
      result = { task: name, status: 'failed', ranOn, error: (err as Error).message };
      this.log.error({ task: name, ranOn, err }, 'compaction task failed; the version is unchanged');
    } finally {
      if (idFloor !== null) this.remoteIdFloors.delete(idFloor);
    }
    this.recent.push(result);
    if (this.recent.length > 50) this.recent.shift();
    return result;
  }
}
