import { createObjectStore } from '@tributary/storage/object-store';
import type { Logger } from '@tributary/common';
import type { HummockManager } from './hummock-manager.ts';
import { hummockConfig, type HummockConfig, type HummockConfigOverrides } from './hummock-config.ts';
import { CompactionScheduler } from './compaction-scheduler.ts';
import { Vacuum } from './vacuum.ts';
import type { RemoteCompactors } from './remote-compactors.ts';

export interface HummockBackgroundOptions {
  stateStoreUrl: string;
  clusterPrefix: string;
  /** Sends the current version to compute nodes and frontends (the same path as epoch commits). */
  onVersion: () => void;
  log: Logger;
  config?: HummockConfigOverrides;
  /** Compactor nodes; tasks run there when one is connected. */
  remote?: RemoteCompactors;
}

/**
 * Meta's Hummock housekeeping: compaction after commits and a periodic vacuum. Compaction tasks run
 * on compactor nodes when any is connected, else in the meta process (object store I/O only).
 */
export class HummockBackground {
  readonly config: HummockConfig;
  readonly compaction: CompactionScheduler;
  readonly vacuum: Vacuum;
  private timer: NodeJS.Timeout | null = null;
  private vacuumRun: Promise<unknown> | null = null;

  constructor(
    private readonly hummock: HummockManager,
    opts: HummockBackgroundOptions,
  ) {
    this.config = hummockConfig(opts.config);
    const store = createObjectStore(opts.stateStoreUrl);
    this.compaction = new CompactionScheduler(hummock, store, opts.clusterPrefix, this.config, opts.onVersion, opts.log, opts.remote ?? null);
    this.vacuum = new Vacuum(
      store, opts.clusterPrefix, () => hummock.version, (p) => this.compaction.isProtected(p) || hummock.isObjectPinned(p), this.config.vacuumGraceMs, opts.log,
    );
    const log = opts.log;
    hummock.background = this;
    if (this.config.compactionEnabled) hummock.onEpochCommitted = () => this.compaction.kick();
    this.timer = setInterval(() => {
      if (this.vacuumRun) return;
      this.vacuumRun = this.vacuum.runOnce().catch((err) => log.warn({ err }, 'vacuum failed')).finally(() => (this.vacuumRun = null));
    }, this.config.vacuumIntervalMs);
    this.timer.unref();
    if (this.config.compactionEnabled) this.compaction.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.hummock.onEpochCommitted = null;
    this.hummock.background = null;
    await this.compaction.stop();
    await this.vacuumRun;
  }
}
