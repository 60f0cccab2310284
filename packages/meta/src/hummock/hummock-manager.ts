import {
  applyVersionDelta, deltaToJson, emptyVersion, versionFromJson, versionToJson,
  type HummockVersion, type HummockVersionDelta, type PinReport, type SstInfo,
} from '@tributary/storage/version';
import { apply, isTaskValid, taskInputSsts, type CompactTask } from '@tributary/storage/compactor';
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
  /** Per worker (frontend or compute node): the oldest version and epoch it may still read. */
  private readonly pins = new Map<number, PinReport>();
  /** Objects compaction removed from the version, with the first version id that no longer holds them. */
  private readonly removedAt = new Map<string, number>();

  constructor(
    private readonly store: MetaStore,
    private readonly log: Logger,
  ) {
    this.sstIds = new IdGenerator(store, 'sst', 10_000);
  }

  /** State tables of dropped relations whose keys may still be in SSTs (compaction drops them). */
  private readonly dropped = new Set<number>();

  async load(): Promise<void> {
    const json = await this.store.get(CF.system, 'hummock_version');
    if (json) this.current = versionFromJson(json);
    for (const [key] of await this.store.list(CF.droppedTables)) this.dropped.add(Number(key));
  }

  /** Dropped state tables still to reclaim. */
  get droppedTableIds(): ReadonlySet<number> {
    return this.dropped;
  }

  /**
   * Meta-store ops recording `tableIds` as dropped: they go in the transaction that deletes the
   * relations from the catalog, and `applyDropTables` follows its commit. Table ids are never
   * reused, so a dropped id names garbage forever.
   */
  dropTablesOps(tableIds: number[]): MetaStoreOp[] {
    return tableIds.map((id) => ({ kind: 'put', cf: CF.droppedTables, key: String(id).padStart(10, '0'), value: '1' }));
  }

  applyDropTables(tableIds: number[]): void {
    for (const id of tableIds) this.dropped.add(id);
  }

  /** Forgets dropped tables that no SST of the current version holds anymore. */
  pruneDroppedTables(): Promise<void> {
    return this.serialized(async () => {
      if (this.dropped.size === 0) return;
      const present = new Set<number>();
      for (const sst of [...this.current.l0.flatMap((sl) => sl.ssts), ...this.current.levels.flat()]) for (const t of sst.tableIds) present.add(t);
      const gone = [...this.dropped].filter((id) => !present.has(id));
      if (gone.length === 0) return;
      await this.store.txn(gone.map((id) => ({ kind: 'delete', cf: CF.droppedTables, key: String(id).padStart(10, '0') })));
      for (const id of gone) this.dropped.delete(id);
      this.log.info({ tableIds: gone }, 'dropped tables reclaimed');
    });
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
      if (!task.trivialMove) for (const s of taskInputSsts(task)) this.removedAt.set(s.objectPath, next.id);
      this.log.debug({ versionId: next.id, outputs: outputs.length, safeEpoch: next.safeEpoch.toString() }, 'compaction committed');
      return next;
    });
  }

  /**
   * Records what a worker may still read (its oldest pinned version and epoch). A report replaces
   * the previous one of that worker; registration pins the current version so a worker is covered
   * before its first report.
   */
  pin(workerId: number, report: PinReport = { minVersionId: this.current.id, minEpoch: this.current.maxCommittedEpoch }): void {
    this.pins.set(workerId, report);
  }

  /** A worker that left (its process is gone) reads nothing any more. */
  unpin(workerId: number): void {
    this.pins.delete(workerId);
  }

  /** Oldest version id any worker may read (the current one when nothing is pinned). */
  minPinnedVersionId(): number {
    let min = this.current.id;
    for (const p of this.pins.values()) if (p.minVersionId < min) min = p.minVersionId;
    return min;
  }

  /** Oldest epoch any worker may read (the committed epoch when nothing is pinned). */
  minPinnedEpoch(): bigint {
    let min = this.current.maxCommittedEpoch;
    for (const p of this.pins.values()) if (p.minEpoch < min) min = p.minEpoch;
    return min;
  }

  /** Pins for ctl and metrics. */
  pinnedWorkers(): Array<{ workerId: number; minVersionId: number; minEpoch: string }> {
    return [...this.pins].map(([workerId, p]) => ({ workerId, minVersionId: p.minVersionId, minEpoch: p.minEpoch.toString() }));
  }

  /**
   * True while a pinned version still references `objectPath` although the current version no
   * longer does (compaction replaced it): vacuum must keep it. Entries no pin needs are dropped.
   */
  isObjectPinned(objectPath: string): boolean {
    const removedAt = this.removedAt.get(objectPath);
    if (removedAt === undefined) return false;
    if (this.minPinnedVersionId() < removedAt) return true;
    this.removedAt.delete(objectPath);
    return false;
  }

  /**
   * The epoch below which compaction may drop old versions: the oldest epoch a worker pinned,
   * bounded by the newest epoch committed at least `graceMs` ago (never below the version's safe
   * epoch). The grace window covers the moments no pin report describes yet (a meta restart, a
   * worker that has not reported): after a restart the commit history starts empty, so the safe
   * epoch stays where it was for a full grace period.
   */
  safeEpoch(nowMs: number, graceMs: number): bigint {
    const floor = this.current.safeEpoch;
    const byPins = this.minPinnedEpoch();
    const safe = this.safeEpochByTime(nowMs, graceMs); // already >= floor
    return byPins >= safe ? safe : byPins > floor ? byPins : floor;
  }

  private safeEpochByTime(nowMs: number, graceMs: number): bigint {
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
