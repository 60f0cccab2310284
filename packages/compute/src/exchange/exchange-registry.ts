import type { DataType } from '@tributary/common';
import { Channel } from '../stream/channel.ts';
import type { Message } from '../stream/message.ts';

/** Messages buffered per actor-to-actor link: the bound that gives backpressure. */
export const EXCHANGE_CHANNEL_CAPACITY = 16;

interface Link {
  channel: Channel<Message>;
  /** Output schema of the upstream actor (to encode for a remote peer). */
  types: DataType[] | null;
  waiters: Array<() => void>;
}

/**
 * The channels between actors on one compute node, keyed by (upstream actor, downstream actor).
 * An upstream actor always writes into its link here; a local downstream reads the same channel,
 * a remote downstream's node pulls it through the Exchange RPC. Whoever comes first creates it.
 */
export class ExchangeRegistry {
  private links = new Map<string, Link>();

  private link(up: number, down: number): Link {
    const key = `${up}:${down}`;
    let l = this.links.get(key);
    if (!l) {
      l = { channel: new Channel<Message>(EXCHANGE_CHANNEL_CAPACITY), types: null, waiters: [] };
      this.links.set(key, l);
    }
    return l;
  }

  /** The channel an upstream actor sends into; records its schema. */
  output(up: number, down: number, types: DataType[]): Channel<Message> {
    const l = this.link(up, down);
    l.types = types;
    for (const w of l.waiters.splice(0)) w();
    return l.channel;
  }

  /** The channel a local downstream actor reads. */
  input(up: number, down: number): Channel<Message> {
    return this.link(up, down).channel;
  }

  /**
   * For the Exchange RPC: waits (bounded) until the upstream actor registered its output. An
   * actor built for a rebalance asks before its upstream reached the rebalance barrier, which may
   * take a while under backpressure.
   */
  async remoteOutput(up: number, down: number, timeoutMs = 30_000): Promise<{ channel: Channel<Message>; types: DataType[] }> {
    const l = this.link(up, down);
    if (!l.types) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`actor ${up} has no output to actor ${down}`)), timeoutMs);
        l.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return { channel: l.channel, types: l.types! };
  }

  /** Closes one link (its downstream was stopped). */
  remove(up: number, down: number): void {
    const key = `${up}:${down}`;
    this.links.get(key)?.channel.close();
    this.links.delete(key);
  }

  /** Closes every link (reset). */
  clear(): void {
    for (const l of this.links.values()) l.channel.close();
    this.links = new Map();
  }
}
