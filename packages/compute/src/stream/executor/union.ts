import type { Barrier, DataType } from '@tributary/common';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

type Pulled = { index: number; r: IteratorResult<Message> };

/**
 * UNION ALL of N inputs of one schema (RisingWave's UnionExecutor):
 *
 * 1. Every input not blocked on a barrier has one pending `next()`; chunks pass through as they come.
 * 2. An input that delivers a barrier is not read again until every input delivered the barrier
 *    with the same epoch; then the barrier goes on once and all inputs are read again.
 * 3. Watermarks are dropped (each branch's would only bound its own rows).
 */
export class UnionExecutor implements Executor {
  identity = 'Union';

  constructor(
    readonly schema: DataType[],
    private readonly inputs: Executor[],
  ) {}

  async *execute(): AsyncGenerator<Message> {
    const streams = this.inputs.map((e) => e.execute());
    const pending = new Map<number, Promise<Pulled>>();
    const blocked = new Map<number, Barrier>();
    const arm = (i: number): void => {
      pending.set(i, streams[i].next().then((r) => ({ index: i, r })));
    };
    streams.forEach((_, i) => arm(i));
    try {
      for (;;) {
        if (blocked.size === streams.length) {
          const barrier = aligned(blocked);
          blocked.clear();
          yield { kind: 'barrier', barrier };
          streams.forEach((_, i) => arm(i));
          continue;
        }
        const { index, r } = await Promise.race(pending.values());
        pending.delete(index);
        if (r.done) return;
        const msg = r.value;
        if (msg.kind === 'barrier') {
          blocked.set(index, msg.barrier);
          continue;
        }
        if (msg.kind === 'chunk') yield msg;
        arm(index);
      }
    } finally {
      // Not awaited: an input blocked in a pending `next()` would hold the return forever.
      for (const g of streams) void g.return(undefined).catch(() => undefined);
    }
  }
}

function aligned(blocked: Map<number, Barrier>): Barrier {
  let first: Barrier | null = null;
  for (const b of blocked.values()) {
    if (first === null) first = b;
    else if (b.currEpoch !== first.currEpoch) throw new Error(`union: misaligned barriers ${first.currEpoch} and ${b.currEpoch}`);
  }
  return first!;
}
