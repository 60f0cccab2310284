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

  /** `onRecord` runs after each recovery (e.g. tell frontends the new actor placement). */
  constructor(private readonly onRecord: (e: RecoveryEvent) => void = () => {}) {}

  record(e: Omit<RecoveryEvent, 'id'>): void {
    const event = { id: this.nextId++, ...e };
    this.events.push(event);
    if (this.events.length > 1000) this.events.shift();
    this.onRecord(event);
  }

  all(): RecoveryEvent[] {
    return [...this.events];
  }
}
