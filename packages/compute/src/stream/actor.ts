import { createLogger, type ActorDesc, type Barrier, type DataType, type UpdateMutation } from '@tributary/common';
import type { Dispatcher } from './dispatcher.ts';
import type { Executor } from './executor.ts';

export interface ActorHooks {
  /** Builds dispatchers for an `add` mutation aimed at this actor. */
  makeDispatchers(descs: NonNullable<ActorDesc['dispatchers']>, types: DataType[]): Dispatcher[];
  /** Closes this actor's links to stopped downstream actors. */
  dropOutput(downActorId: number): void;
  collect(actorId: number, barrier: Barrier): void;
  fail(actorId: number, err: Error): void;
  /**
   * Resolves once `epoch` is committed (visible in this node's state store version); rejects
   * when the node resets. A rebalanced actor waits for it before reading any state.
   */
  waitCommitted(epoch: bigint): Promise<void>;
}

/**
 * An actor: drives its executor tree and hands every output message to its dispatchers. Applies
 * barrier mutations: `add` creates dispatchers before the barrier goes out (so new downstream
 * actors start with it); `stop` removes outputs after it, and ends the actor when it is named;
 * `update` (rebalance) sends the barrier to old and new outputs, then switches to the new
 * dispatchers, and ends the actors it stops. An actor whose first barrier is an `update` was
 * built by that rebalance: its state was written up to the barrier's prev epoch by the actor it
 * replaces on another node, so it reads nothing before that epoch is committed.
 */
export class Actor {
  private readonly log;
  private stopped = false;

  constructor(
    readonly desc: ActorDesc,
    private readonly root: Executor,
    private dispatchers: Dispatcher[],
    private readonly hooks: ActorHooks,
  ) {
    this.log = createLogger('actor', { actorId: desc.actorId, fragmentId: desc.fragmentId });
  }

  get actorId(): number {
    return this.desc.actorId;
  }

  async run(): Promise<void> {
    let first = true;
    try {
      for await (const msg of this.root.execute()) {
        if (this.stopped) break;
        if (msg.kind === 'chunk') {
          for (const d of this.dispatchers) await d.dispatchChunk(msg.chunk);
        } else if (msg.kind === 'barrier') {
          if (await this.onBarrier(msg.barrier)) break;
          // Executors read state only after their first barrier, so waiting here (the executor
          // tree is suspended at its yield) keeps every read at or after the committed epoch.
          if (first && msg.barrier.mutation?.kind === 'update') await this.hooks.waitCommitted(msg.barrier.prevEpoch);
          first = false;
        } else {
          for (const d of this.dispatchers) await d.dispatchWatermark(msg);
        }
      }
    } catch (err) {
      if (!this.stopped) {
        this.log.error({ err }, 'actor failed');
        this.hooks.fail(this.actorId, err as Error);
      }
    }
  }

  /** Returns true when this actor stops at this barrier. */
  private async onBarrier(barrier: Barrier): Promise<boolean> {
    const m = barrier.mutation;
    if (m?.kind === 'add' && m.adds[this.actorId]) {
      this.dispatchers.push(...this.hooks.makeDispatchers(m.adds[this.actorId], this.root.schema));
    }
    if (m?.kind === 'update') return this.onUpdateBarrier(barrier, m);
    for (const d of this.dispatchers) await d.dispatchBarrier(barrier);
    if (m?.kind === 'stop') {
      const stop = new Set(m.actors);
      for (const d of this.dispatchers) {
        for (const o of d.outputs) if (stop.has(o.actorId)) this.hooks.dropOutput(o.actorId);
      }
      this.dispatchers = this.dispatchers.filter((d) => !d.outputs.some((o) => stop.has(o.actorId)));
    }
    this.hooks.collect(this.actorId, barrier);
    return m?.kind === 'stop' && m.actors.includes(this.actorId);
  }

  /** Rebalance: returns true when this actor was moved away (it ends after this barrier). */
  private async onUpdateBarrier(barrier: Barrier, m: UpdateMutation): Promise<boolean> {
    const replacement = m.dispatchers[this.actorId];
    const next = replacement ? this.hooks.makeDispatchers(replacement, this.root.schema) : this.dispatchers;
    const msg = { kind: 'barrier' as const, barrier };
    const sent = new Set<number>();
    for (const d of [...this.dispatchers, ...next]) {
      for (const o of d.outputs) {
        if (sent.has(o.actorId)) continue;
        sent.add(o.actorId);
        await o.channel.send(msg);
      }
    }
    const stopping = m.stops.includes(this.actorId);
    const kept = new Set(stopping ? [] : next.flatMap((d) => d.outputs.map((o) => o.actorId)));
    for (const id of sent) if (!kept.has(id)) this.hooks.dropOutput(id);
    this.dispatchers = stopping ? [] : next;
    this.hooks.collect(this.actorId, barrier);
    return stopping;
  }

  /** Ends the actor at its next message (reset). */
  stop(): void {
    this.stopped = true;
  }
}
