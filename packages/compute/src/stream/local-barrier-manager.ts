import { createLogger, isCheckpoint, type ActorBackfillProgress, type Barrier } from '@tributary/common';
import type { SstInfo } from '@tributary/storage';
import type { Channel } from './channel.ts';
import type { DmlMessage } from './executor/dml.ts';

interface Pending {
  barrier: Barrier;
  remaining: Set<number>;
}

export interface BarrierReporter {
  /**
   * Reports a finished barrier to meta (with the SSTs of a checkpoint's prev epoch and the
   * progress of backfills as of this barrier).
   */
  complete(barrier: Barrier, ssts: SstInfo[], error: string, backfill: ActorBackfillProgress[]): void;
}

/**
 * The node's side of barriers: injects each barrier meta sends into the node's source actors (DML
 * inboxes), collects it from every actor meta named, then (for a checkpoint) syncs the state store
 * for the barrier's prev epoch and reports to meta. Completions go out in epoch order.
 */
export class LocalBarrierManager {
  private readonly log = createLogger('local-barrier-manager');
  private readonly sources = new Map<number, Channel<DmlMessage>>();
  private pending: Pending[] = [];
  /** Collections that arrived before meta's inject message (a remote upstream was faster). */
  private early = new Map<bigint, Set<number>>();
  private completing: Promise<void> = Promise.resolve();
  /** Backfill progress reported with each pending barrier (by curr epoch). */
  private backfill = new Map<bigint, ActorBackfillProgress[]>();
  private generation = 0;

  constructor(
    private readonly sync: (epoch: bigint) => Promise<SstInfo[]>,
    private readonly reporter: BarrierReporter,
  ) {}

  addSource(actorId: number, inbox: Channel<DmlMessage>): void {
    this.sources.set(actorId, inbox);
  }

  removeSource(actorId: number): void {
    this.sources.get(actorId)?.close();
    this.sources.delete(actorId);
  }

  source(actorId: number): Channel<DmlMessage> | undefined {
    return this.sources.get(actorId);
  }

  inject(barrier: Barrier, actorsToCollect: number[]): void {
    const remaining = new Set(actorsToCollect);
    for (const a of this.early.get(barrier.currEpoch) ?? []) remaining.delete(a);
    this.early.delete(barrier.currEpoch);
    this.pending.push({ barrier, remaining });
    for (const [actorId, inbox] of this.sources) {
      if (actorsToCollect.includes(actorId)) inbox.sendNow({ kind: 'barrier', barrier });
    }
    this.drain();
  }

  /** A table scan's progress as of `barrier`, sent to meta with the barrier's completion. */
  reportBackfill(barrier: Barrier, progress: ActorBackfillProgress): void {
    const list = this.backfill.get(barrier.currEpoch) ?? [];
    list.push(progress);
    this.backfill.set(barrier.currEpoch, list);
  }

  collect(actorId: number, barrier: Barrier): void {
    const p = this.pending.find((e) => e.barrier.currEpoch === barrier.currEpoch);
    if (!p) {
      const set = this.early.get(barrier.currEpoch) ?? new Set<number>();
      set.add(actorId);
      this.early.set(barrier.currEpoch, set);
      return;
    }
    p.remaining.delete(actorId);
    this.drain();
  }

  private drain(): void {
    while (this.pending.length > 0 && this.pending[0].remaining.size === 0) {
      const { barrier } = this.pending.shift()!;
      const gen = this.generation;
      const backfill = this.backfill.get(barrier.currEpoch) ?? [];
      this.backfill.delete(barrier.currEpoch);
      this.completing = this.completing.then(async () => {
        let ssts: SstInfo[] = [];
        let error = '';
        try {
          if (isCheckpoint(barrier) && barrier.kind !== 'initial') ssts = await this.sync(barrier.prevEpoch);
        } catch (err) {
          error = (err as Error).message;
          this.log.error({ err, epoch: barrier.prevEpoch.toString() }, 'checkpoint sync failed');
        }
        if (gen === this.generation) this.reporter.complete(barrier, ssts, error, backfill);
      });
    }
  }

  /** Forgets every pending barrier and source (reset for recovery). */
  async reset(): Promise<void> {
    this.generation++;
    for (const inbox of this.sources.values()) inbox.close();
    this.sources.clear();
    this.pending = [];
    this.early = new Map();
    this.backfill = new Map();
    await this.completing.catch(() => {});
  }
}
