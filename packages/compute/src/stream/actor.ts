import { createLogger, type ActorDesc, type Barrier, type DataType } from '@tributary/common';
import type { Dispatcher } from './dispatcher.ts';
import type { Executor } from './executor.ts';

export interface ActorHooks {
  /** Builds dispatchers for an `add` mutation aimed at this actor. */
  makeDispatchers(descs: NonNullable<ActorDesc['dispatchers']>, types: DataType[]): Dispatcher[];
  /** Closes this actor's links to stopped downstream actors. */
  dropOutput(downActorId: number): void;
  collect(actorId: number, barrier: Barrier): void;
  fail(actorId: number, err: Error): void;
}

/**
 * An actor: drives its executor tree and hands every output message to its dispatchers. Applies
 * barrier mutations: `add` creates dispatchers before the barrier goes out (so new downstream
 * actors start with it); `stop` removes outputs after it, and ends the actor when it is named.
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
    try {
      for await (const msg of this.root.execute()) {
        if (this.stopped) break;
        if (msg.kind === 'chunk') {
          for (const d of this.dispatchers) await d.dispatchChunk(msg.chunk);
        } else if (msg.kind === 'barrier') {
          if (await this.onBarrier(msg.barrier)) break;
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

  /** Ends the actor at its next message (reset). */
  stop(): void {
    this.stopped = true;
  }
}
