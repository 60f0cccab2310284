/** One recovery of the streaming graph, as users see it. */
export interface RecoveryEvent {
  id: number;
  reason: string;
  failedWorker: number | null;
  detectedAt: number;
  recoveredAt: number;
  epochBefore: bigint;
  epochAfter: bigint;
}

/** Recent recoveries (in memory; the newest 1000). */
export class RecoveryLog {
  private readonly events: RecoveryEvent[] = [];
  private nextId = 1;

  record(e: Omit<RecoveryEvent, 'id'>): void {
    this.events.push({ id: this.nextId++, ...e });
    if (this.events.length > 1000) this.events.shift();
  }

  all(): RecoveryEvent[] {
    return [...this.events];
  }
}
