import type { DataType } from '@tributary/common';
import type { Message } from './message.ts';

/**
 * A stream executor: pulls from its input(s), yields messages. Non-data messages pass straight
 * through; a stateful executor flushes its state tables for `barrier.prevEpoch` before it yields
 * the barrier. An executor's stream ends only when its actor is stopped.
 */
export interface Executor {
  readonly schema: DataType[];
  /** Debug identity, e.g. `HashAgg(actor 7)`. */
  readonly identity: string;
  execute(): AsyncGenerator<Message>;
}
