import { createLogger } from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';

/** One rebalance of actors over the compute nodes, as users see it (SHOW REBALANCES). */
export interface RebalanceEvent {
  id: number;
  reason: string;
  /** 'online': an update barrier moved actors; 'recovery': it could not, a recovery did. */
  mode: 'online' | 'recovery';
  startedAt: number;
  finishedAt: number;
  /** The committed epoch the moved actors took their state from (online only). */
  epoch: bigint | null;
  movedActors: number;
  fragments: number;
  /** Workers that received actors. */
  toWorkers: number[];
}

const KEEP = 1000;

/** Rebalances, persisted in the meta store (the newest 1000); an online one in its commit. */
export class RebalanceLog {
  private readonly log = createLogger('rebalance-log');
  private events: RebalanceEvent[] = [];
  private nextId = 1;

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    this.events = (await this.store.list(CF.rebalances)).map(([, json]) => {
      const o = JSON.parse(json);
      return { ...o, epoch: o.epoch === null ? null : BigInt(o.epoch) } as RebalanceEvent;
    });
    this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
  }

  /** Reserves an id for an event that `putOps` will persist. */
  create(e: Omit<RebalanceEvent, 'id'>): RebalanceEvent {
    return { id: this.nextId++, ...e };
  }

  /** Meta-store ops that persist `event` (and trim the oldest), for a caller's transaction. */
  putOps(event: RebalanceEvent): MetaStoreOp[] {
    const ops: MetaStoreOp[] = [{ kind: 'put', cf: CF.rebalances, key: key(event.id), value: JSON.stringify({ ...event, epoch: event.epoch === null ? null : String(event.epoch) }) }];
    if (this.events.length + 1 > KEEP) ops.push({ kind: 'delete', cf: CF.rebalances, key: key(this.events[0].id) });
    return ops;
  }

  /** After the transaction holding `putOps(event)` committed. */
  applied(event: RebalanceEvent): void {
    this.events.push(event);
    if (this.events.length > KEEP) this.events.shift();
  }

  /** Persists on its own (a rebalance that fell back to recovery). */
  record(event: RebalanceEvent): void {
    const ops = this.putOps(event);
    this.applied(event);
    this.store.txn(ops).catch((err) => this.log.warn({ err }, 'could not persist a rebalance event'));
  }

  all(): RebalanceEvent[] {
    return [...this.events];
  }
}

function key(id: number): string {
  return String(id).padStart(12, '0');
}
