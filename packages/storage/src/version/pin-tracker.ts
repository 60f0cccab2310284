/** The oldest version and epoch a process still reads; meta keeps both alive for it. */
export interface PinReport {
  minVersionId: number;
  minEpoch: bigint;
}

interface Pin {
  versionId: number;
  epoch: bigint;
  atMs: number;
}

/**
 * Version and epoch pins of one process (a frontend's queries, a compute node's scans).
 *
 * 1. A reader calls `pin(versionId, epoch)` before it touches the version and calls the returned
 *    release when done (idempotent).
 * 2. `report(latest)` is what the process tells meta: the oldest pinned version id and epoch, or
 *    the latest it holds when nothing is pinned. A later reader always starts at the latest, so a
 *    report never overstates what the process may still read.
 * 3. A pin older than `maxAgeMs` (a reader that was abandoned without release) stops counting, with
 *    a warning: a leak must not stop compaction and vacuum forever.
 */
export class PinTracker {
  private readonly pins = new Map<number, Pin>();
  private nextId = 1;

  constructor(
    private readonly maxAgeMs = 30 * 60_000,
    private readonly onExpired: (pin: { versionId: number; epoch: bigint; ageMs: number }) => void = () => {},
  ) {}

  pin(versionId: number, epoch: bigint): () => void {
    const id = this.nextId++;
    this.pins.set(id, { versionId, epoch, atMs: Date.now() });
    return () => {
      this.pins.delete(id);
    };
  }

  get size(): number {
    return this.pins.size;
  }

  report(latest: PinReport, nowMs = Date.now()): PinReport {
    let { minVersionId, minEpoch } = latest;
    for (const [id, p] of this.pins) {
      if (nowMs - p.atMs > this.maxAgeMs) {
        this.pins.delete(id);
        this.onExpired({ versionId: p.versionId, epoch: p.epoch, ageMs: nowMs - p.atMs });
        continue;
      }
      if (p.versionId < minVersionId) minVersionId = p.versionId;
      if (p.epoch < minEpoch) minEpoch = p.epoch;
    }
    return { minVersionId, minEpoch };
  }
}
