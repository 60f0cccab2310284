import { allSsts, type HummockVersion } from '@tributary/storage/version';
import type { ObjectStore } from '@tributary/storage/object-store';
import type { Logger } from '@tributary/common';

/** What one vacuum pass saw and did. */
export interface VacuumResult {
  listed: number;
  referenced: number;
  /** Unreferenced, still inside the grace period. */
  pending: number;
  deleted: string[];
}

/**
 * Deletes SST objects no version references: compaction inputs, outputs of stale tasks, SSTs of
 * syncs that never committed (a failed checkpoint, a crashed node).
 *
 * 1. List `<cluster>/sst/`; an object is unreferenced when the current version does not hold it
 *    and no running compaction is writing it (`isProtected`).
 * 2. Remember when an object was first seen unreferenced (in memory: after a meta restart every
 *    object waits a full grace period again, which only delays deletion).
 * 3. Delete it once it stayed unreferenced for `graceMs`, re-checking the version of that moment.
 *
 * Why a grace period and not reference counting: a frontend query or a compute-node scan may hold
 * an older version for a while, and a compute node uploads SSTs before meta commits them. Both are
 * short (a query in flight, one checkpoint); the grace period (default 5 min) must exceed them.
 */
export class Vacuum {
  private readonly firstSeenMs = new Map<string, number>();

  constructor(
    private readonly objectStore: ObjectStore,
    private readonly clusterPrefix: string,
    private readonly version: () => HummockVersion,
    private readonly isProtected: (objectPath: string) => boolean,
    private readonly graceMs: number,
    private readonly log: Logger,
  ) {}

  async runOnce(nowMs = Date.now()): Promise<VacuumResult> {
    const prefix = this.clusterPrefix ? `${this.clusterPrefix}/sst/` : 'sst/';
    const listed = await this.objectStore.list(prefix);
    const referencedAtList = referencedPaths(this.version());
    const seen = new Set<string>();
    const due: string[] = [];
    for (const o of listed) {
      if (referencedAtList.has(o.path) || this.isProtected(o.path)) continue;
      seen.add(o.path);
      const first = this.firstSeenMs.get(o.path);
      if (first === undefined) this.firstSeenMs.set(o.path, nowMs);
      else if (nowMs - first >= this.graceMs) due.push(o.path);
    }
    for (const p of [...this.firstSeenMs.keys()]) if (!seen.has(p)) this.firstSeenMs.delete(p);
    // Re-check against the version of this moment: an object may have been committed since the listing.
    const referencedNow = referencedPaths(this.version());
    const deleted: string[] = [];
    for (const p of due) {
      if (referencedNow.has(p) || this.isProtected(p)) continue;
      await this.objectStore.delete(p);
      this.firstSeenMs.delete(p);
      deleted.push(p);
    }
    if (deleted.length > 0) this.log.info({ deleted: deleted.length, pending: this.firstSeenMs.size }, 'vacuum deleted unreferenced SSTs');
    return { listed: listed.length, referenced: listed.length - seen.size, pending: this.firstSeenMs.size, deleted };
  }
}

function referencedPaths(v: HummockVersion): Set<string> {
  return new Set(allSsts(v).map((s) => s.objectPath));
}
