import {
  applyVersionDelta, deltaToJson, emptyVersion, versionFromJson, versionToJson,
  type HummockVersion, type HummockVersionDelta, type SstInfo,
} from '@tributary/storage/version';
import { apply, isTaskValid, type CompactTask } from '@tributary/storage/compactor';
import type { Logger } from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';
import { IdGenerator } from '../catalog/id-generator.ts';
import type { HummockBackground } from './hummock-background.ts';

/** Commit times kept to derive the safe epoch (one entry per commit; old ones are trimmed). */
const COMMIT_HISTORY_MAX = 100_000;

/**
 * Owns the HummockVersion: every change is a delta committed in one meta-store transaction
 * together with whatever catalog ops ride on the same epoch. Epoch commits and compaction commits
 * are serialized, so a compaction result never overwrites a commit that happened while it ran.
 */
export class HummockManager {
  private current: HummockVersion = emptyVersion();
  private readonly sstIds: IdGenerator;
  /** Tail of the commit queue. */
  private serial: Promise<unknown> = Promise.resolve();
  /** (wall clock, epoch) of recent commits, oldest first: the safe epoch lags them by a grace window. */
  private readonly commitTimes: { atMs: number; epoch: bigint }[] = [];
  /** Called after every epoch commit (the compaction scheduler checks for work). */
  onEpochCommitted: (() => void) | null = null;
  /** Compaction and vacuum, once meta started them (ctl reaches them here). */
  background: HummockBackground | null = null;

  constructor(
    private readonly store: MetaStore,
    private readonly log: Logger,
  ) {
    this.sstIds = new IdGenerator(store, 'sst', 10_000);
  }

  async load(): Promise<void> {
    const json = await this.store.get(CF.system, 'hummock_version');
    if (json) this.current = versionFromJson(json);
  }

  get version(): HummockVersion {
    return this.current;
  }

  get committedEpoch(): bigint {
    return this.current.maxCommittedEpoch;
  }

  async allocateSstIds(count: number): Promise<number> {
    return this.sstIds.nextIds(count);
  }

  /** Commits `epoch` with the SSTs every node uploaded for it, plus `extraOps`, atomically. */
  commitEpoch(epoch: bigint, ssts: SstInfo[], extraOps: MetaStoreOp[]): Promise<HummockVersion> {
    return this.serialized(async () => {
      const v = this.current;
      const delta: HummockVersionDelta = {
        id: v.id + 1,
        prevId: v.id,
        maxCommittedEpoch: epoch,
        safeEpoch: v.safeEpoch,
        newL0SubLevel: ssts.length > 0 ? { id: v.id + 1, ssts } : undefined,
      };
      const next = await this.persist(delta, extraOps, !!delta.newL0SubLevel);
      this.commitTimes.push({ atMs: Date.now(), epoch });
      if (this.commitTimes.length > COMMIT_HISTORY_MAX) this.commitTimes.splice(0, this.commitTimes.length - COMMIT_HISTORY_MAX / 2);
      this.log.debug({ epoch: epoch.toString(), versionId: next.id, ssts: ssts.length }, 'epoch committed');
      this.onEpochCommitted?.();
      return next;
    });
  }

  /**
   * Commits a finished compaction task as one delta (inputs removed, outputs added at the target
   * level), or returns null when the task no longer applies to the current version (the caller
   * then deletes its outputs).
   */
  commitCompaction(task: CompactTask, outputs: SstInfo[]): Promise<HummockVersion | null> {
    return this.serialized(async () => {
      const v = this.current;
      if (!isTaskValid(v, task)) return null;
      const next = await this.persist(apply(v, task, outputs), [], true);
      this.log.debug({ versionId: next.id, outputs: outputs.length, safeEpoch: next.safeEpoch.toString() }, 'compaction committed');
      return next;
    });
  }

  /**
   * The newest epoch committed at least `graceMs` ago (never below the version's safe epoch):
   * a query that started within the grace window still finds every version it can read.
   */
  safeEpoch(nowMs: number, graceMs: number): bigint {
    let safe = this.current.safeEpoch;
    const cutoff = nowMs - graceMs;
    let i = 0;
    while (i < this.commitTimes.length && this.commitTimes[i].atMs <= cutoff) {
      if (this.commitTimes[i].epoch > safe) safe = this.commitTimes[i].epoch;
      i++;
    }
    if (i > 1) this.commitTimes.splice(0, i - 1); // keep the newest one at or before the cutoff
    return safe > this.current.maxCommittedEpoch ? this.current.maxCommittedEpoch : safe;
  }

  private async persist(delta: HummockVersionDelta, extraOps: MetaStoreOp[], logDelta: boolean): Promise<HummockVersion> {
    const next = applyVersionDelta(this.current, delta);
    const ops: MetaStoreOp[] = [...extraOps, { kind: 'put', cf: CF.system, key: 'hummock_version', value: versionToJson(next) }];
    if (logDelta) ops.push({ kind: 'put', cf: CF.versionDeltas, key: String(delta.id).padStart(12, '0'), value: deltaToJson(delta) });
    await this.store.txn(ops);
    this.current = next;
    return next;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => {});
    return run;
  }
}
