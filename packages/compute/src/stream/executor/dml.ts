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

/** A table's write entry: yields the inbox in FIFO order until the inbox closes. */
export class DmlExecutor implements Executor {
  identity = 'Dml';

  constructor(
    readonly schema: DataType[],
    private readonly inbox: Channel<DmlMessage>,
  ) {}

  async *execute(): AsyncGenerator<Message> {
    let epoch = 0n;
    for (;;) {
      const msg = await this.inbox.recv();
      if (msg === undefined) return;
      if (msg.kind === 'barrier') {
        epoch = msg.barrier.currEpoch;
        yield { kind: 'barrier', barrier: msg.barrier };
      } else {
        yield { kind: 'chunk', chunk: msg.chunk };
        msg.done(epoch);
      }
    }
  }
}
