import { epochToMs, Op, StreamChunk, type DataType } from '@tributary/common';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import type { DmlMessage } from './dml.ts';

/** The time of a barrier in microseconds since 1970: the physical part of its `currEpoch`. */
export function barrierTimeMicros(currEpoch: bigint): bigint {
  return BigInt(epochToMs(currEpoch)) * 1000n;
}

/**
 * `now()` (see `NowNode`): yields each barrier of its inbox, then a one-row chunk with the
 * barrier's time — Insert the first time, U-/U+ after. The chunk belongs to the barrier's new
 * epoch, so every actor downstream sees the same now() within an epoch.
 */
export class NowExecutor implements Executor {
  identity = 'Now';
  readonly schema: DataType[] = ['timestamp with time zone'];

  constructor(private readonly inbox: Channel<DmlMessage>) {}

  async *execute(): AsyncGenerator<Message> {
    let last: bigint | null = null;
    for (;;) {
      const msg = await this.inbox.recv();
      if (msg === undefined) return;
      if (msg.kind !== 'barrier') throw new Error('now: only barriers may be injected');
      yield { kind: 'barrier', barrier: msg.barrier };
      const now = barrierTimeMicros(msg.barrier.currEpoch);
      if (last !== null && now <= last) continue;
      const chunk = last === null
        ? StreamChunk.fromRows([Op.Insert], [[now]], 1)
        : StreamChunk.fromRows([Op.UpdateDelete, Op.UpdateInsert], [[last], [now]], 1);
      last = now;
      yield { kind: 'chunk', chunk };
    }
  }
}
