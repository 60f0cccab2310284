import { createLogger } from '@tributary/common';
import { CF, type MetaStore } from '../meta-store/meta-store.ts';

/** One recovery of the streaming graph, as users see it (SHOW RECOVERIES). */
export interface RecoveryEvent {
  id: number;
  reason: string;
  failedWorker: number | null;
  detectedAt: number;
  recoveredAt: number;
  epochBefore: bigint;
  epochAfter: bigint;
}

const KEEP = 1000;

/** Recoveries, persisted in the meta store (the newest 1000), so they survive a meta restart. */
export class RecoveryLog {
  private readonly log = createLogger('recovery-log');
  private events: RecoveryEvent[] = [];
  private nextId = 1;

  /** `onRecord` runs after each recovery (e.g. tell frontends the new actor placement). */
  constructor(
    private readonly store: MetaStore,
    private readonly onRecord: (e: RecoveryEvent) => void = () => {},
  ) {}

  async load(): Promise<void> {
    this.events = (await this.store.list(CF.recoveries)).map(([, json]) => {
      const o = JSON.parse(json);
      return { ...o, epochBefore: BigInt(o.epochBefore), epochAfter: BigInt(o.epochAfter) } as RecoveryEvent;
    });
    this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
  }

  record(e: Omit<RecoveryEvent, 'id'>): void {
    const event = { id: this.nextId++, ...e };
    this.events.push(event);
    const ops: Parameters<MetaStore['txn']>[0] = [{ kind: 'put', cf: CF.recoveries, key: key(event.id), value: JSON.stringify({ ...event, epochBefore: String(event.epochBefore), epochAfter: String(event.epochAfter) }) }];
    if (this.events.length > KEEP) ops.push({ kind: 'delete', cf: CF.recoveries, key: key(this.events.shift()!.id) });
    this.store.txn(ops).catch((err) => this.log.warn({ err }, 'could not persist a recovery event'));
    this.onRecord(event);
  }

  all(): RecoveryEvent[] {
    return [...this.events];
  }
}

function key(id: number): string {
  return String(id).padStart(12, '0');
}
