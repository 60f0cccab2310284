import type { Barrier, DataType, StreamChunk } from '@tributary/common';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

/** What frontends (chunks) and the barrier manager (barriers) put into a table's DML inbox. */
export type DmlMessage =
  | { kind: 'barrier'; barrier: Barrier }
  /**
   * `done(epoch)` is called once the chunk has been handed downstream, with the epoch it belongs
   * to: the write is durable once that epoch is committed.
   */
  | { kind: 'chunk'; chunk: StreamChunk; done: (epoch: bigint) => void };

/**
 * A table's write entry: yields the inbox in FIFO order until the inbox closes. Chunks that
 * arrive before the first barrier (a frontend writing to an actor just rebuilt by a recovery,
 * before its initial barrier) are held and yielded right after it: downstream state tables are
 * initialized by that barrier.
 */
export class DmlExecutor implements Executor {
  identity = 'Dml';

  constructor(
    readonly schema: DataType[],
    private readonly inbox: Channel<DmlMessage>,
  ) {}

  async *execute(): AsyncGenerator<Message> {
    let epoch = 0n;
    const early: Array<Extract<DmlMessage, { kind: 'chunk' }>> = [];
    for (;;) {
      const msg = await this.inbox.recv();
      if (msg === undefined) return;
      if (msg.kind === 'barrier') {
        epoch = msg.barrier.currEpoch;
        yield { kind: 'barrier', barrier: msg.barrier };
        for (const held of early.splice(0)) {
          yield { kind: 'chunk', chunk: held.chunk };
          held.done(epoch);
        }
      } else if (epoch === 0n) {
        early.push(msg);
      } else {
        yield { kind: 'chunk', chunk: msg.chunk };
        msg.done(epoch);
      }
    }
  }
}
