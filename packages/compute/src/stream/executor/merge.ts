import { compareDatum, type ActorOutput, type Barrier, type DataType, type Datum, type MergeUpdate } from '@tributary/common';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

type Received = { index: number; msg: Message | undefined };

/** Lets a merge change its inputs on an `update` barrier (rebalance). */
export interface MergeRescheduling {
  /** The actor this merge belongs to and the upstream fragment it reads. */
  actorId: number;
  upstreamFragmentId: number;
  /** Upstream actor id of each input, in the order of `inputs`. */
  upstreamActorIds: number[];
  /** Opens the input from a new upstream actor. */
  open(up: ActorOutput): Channel<Message>;
}

/**
 * Receives from several upstream actors with barrier alignment:
 *
 * 1. Every input not blocked on a barrier has one pending `recv`; chunks are yielded as they come.
 * 2. An input that delivers a barrier is blocked (not read) until every open input delivered the
 *    barrier with the same `currEpoch`; then the barrier is yielded once and all are unblocked.
 * 3. A closed input leaves the alignment set; the stream ends when every input closed.
 * 4. Rebalance: on an aligned `update` barrier naming this actor and upstream fragment, removed
 *    inputs leave and new ones join (their first message is that barrier) before it is yielded.
 *
 * A watermark on a column is forwarded as the minimum over all open inputs, once every open input
 * has sent one for that column and only when it advances; the current ones are repeated after
 * every barrier, so actors added downstream later (new views) learn them without waiting.
 */
export class MergeExecutor implements Executor {
  identity = 'Merge';

  /** Inputs keyed by upstream actor id (or by position without rescheduling). */
  private readonly inputs = new Map<number, Channel<Message>>();

  constructor(
    readonly schema: DataType[],
    inputs: Channel<Message>[],
    private readonly rescheduling?: MergeRescheduling,
  ) {
    inputs.forEach((ch, i) => this.inputs.set(rescheduling?.upstreamActorIds[i] ?? i, ch));
  }

  async *execute(): AsyncGenerator<Message> {
    const pending = new Map<number, Promise<Received>>();
    const blocked = new Map<number, Barrier>();
    const open = new Set<number>(this.inputs.keys());
    const watermarks = new WatermarkAligner(this.schema);
    const arm = (i: number): void => {
      pending.set(i, this.inputs.get(i)!.recv().then((msg) => ({ index: i, msg })));
    };
    for (const i of open) arm(i);

    while (open.size > 0) {
      if (blocked.size === open.size) {
        const barrier = alignedBarrier(blocked);
        blocked.clear();
        const update = this.updateFor(barrier);
        if (update) await this.applyUpdate(update, barrier, open);
        yield { kind: 'barrier', barrier };
        for (const [column, value] of watermarks.current()) yield { kind: 'watermark', column, value };
        for (const i of open) arm(i);
        continue;
      }
      const { index, msg } = await Promise.race(pending.values());
      pending.delete(index);
      if (msg === undefined) {
        open.delete(index);
        blocked.delete(index);
      } else if (msg.kind === 'barrier') {
        blocked.set(index, msg.barrier);
      } else {
        if (msg.kind === 'chunk') yield msg;
        else {
          const value = watermarks.observe(index, msg.column, msg.value, open);
          if (value !== undefined) yield { kind: 'watermark', column: msg.column, value };
        }
        arm(index);
      }
    }
  }

  private updateFor(barrier: Barrier): MergeUpdate | undefined {
    const m = barrier.mutation;
    if (m?.kind !== 'update' || !this.rescheduling) return undefined;
    return m.merges[this.rescheduling.actorId]?.find((u) => u.upstreamFragmentId === this.rescheduling!.upstreamFragmentId);
  }

  /**
   * Removed inputs already delivered `barrier` (their last message) and leave; each added input's
   * first message must be the same barrier, which is dropped.
   */
  private async applyUpdate(update: MergeUpdate, barrier: Barrier, open: Set<number>): Promise<void> {
    for (const id of update.removed) {
      open.delete(id);
      this.inputs.delete(id);
    }
    for (const up of update.added) {
      const channel = this.rescheduling!.open(up);
      const first = await channel.recv();
      if (first === undefined) throw new Error(`merge: new input from actor ${up.actorId} closed before barrier ${barrier.currEpoch}`);
      if (first.kind !== 'barrier' || first.barrier.currEpoch !== barrier.currEpoch) {
        throw new Error(`merge: new input from actor ${up.actorId} did not start with barrier ${barrier.currEpoch}`);
      }
      this.inputs.set(up.actorId, channel);
      open.add(up.actorId);
    }
  }
}

function alignedBarrier(blocked: Map<number, Barrier>): Barrier {
  let first: Barrier | null = null;
  for (const b of blocked.values()) {
    if (first === null) first = b;
    else if (b.currEpoch !== first.currEpoch) {
      throw new Error(`merge: misaligned barriers ${first.currEpoch} and ${b.currEpoch}`);
    }
  }
  return first!;
}

/** Per column, the last watermark of each input; emits the minimum when it advances. */
class WatermarkAligner {
  private readonly perColumn = new Map<number, { byInput: Map<number, Datum>; emitted: Datum | undefined }>();

  constructor(private readonly schema: DataType[]) {}

  /** The watermark forwarded last on each column. */
  *current(): Generator<[number, Datum]> {
    for (const [column, state] of this.perColumn) if (state.emitted !== undefined) yield [column, state.emitted];
  }

  observe(input: number, column: number, value: Datum, open: Set<number>): Datum | undefined {
    let state = this.perColumn.get(column);
    if (!state) this.perColumn.set(column, (state = { byInput: new Map(), emitted: undefined }));
    state.byInput.set(input, value);
    const type = this.schema[column];
    let min: Datum | undefined;
    for (const i of open) {
      const v = state.byInput.get(i);
      if (v === undefined) return undefined;
      if (min === undefined || compareDatum(type, v, min) < 0) min = v;
    }
    if (min === undefined || (state.emitted !== undefined && compareDatum(type, min, state.emitted) <= 0)) return undefined;
    state.emitted = min;
    return min;
  }
}
