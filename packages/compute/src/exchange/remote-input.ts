import { ComputeServiceClient, GRPC_CHANNEL_OPTIONS, grpc, type DataType } from '@tributary/common';
import { Channel } from '../stream/channel.ts';
import type { Message } from '../stream/message.ts';
import { decodeMessage } from './message-codec.ts';
import { EXCHANGE_CHANNEL_CAPACITY } from './exchange-registry.ts';

/** Shared gRPC clients per peer address. */
const clients = new Map<string, any>();

function clientFor(address: string): any {
  let c = clients.get(address);
  if (!c) {
    c = new ComputeServiceClient(address, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
    clients.set(address, c);
  }
  return c;
}

/**
 * Pulls the stream of (up → down) from the upstream's compute node into a local bounded channel.
 * The gRPC stream is paused while the channel is full (backpressure across the network). A
 * broken stream closes the channel and calls `onError` (the actor fails, meta recovers).
 */
export function openRemoteInput(
  address: string,
  up: number,
  down: number,
  types: DataType[],
  onError: (err: Error) => void,
): { channel: Channel<Message>; cancel(): void } {
  const channel = new Channel<Message>(EXCHANGE_CHANNEL_CAPACITY);
  // waitForReady: a peer restarted at the same address (a rejoining node) may still be
  // reconnecting; wait instead of failing (a dead peer means a recovery resets us anyway).
  const call = clientFor(address).Exchange({ up_actor_id: up, down_actor_id: down }, { waitForReady: true });
  let cancelled = false;
  call.on('data', (m: { data: Buffer }) => {
    let msg: Message;
    try {
      msg = decodeMessage(types, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
    } catch (err) {
      onError(err as Error);
      call.cancel();
      return;
    }
    if (channel.size + 1 >= channel.capacity) {
      call.pause();
      channel.send(msg).then(() => call.resume());
    } else {
      channel.sendNow(msg);
    }
  });
  call.on('error', (err: Error) => {
    channel.close();
    if (!cancelled) onError(new Error(`exchange ${up}->${down} from ${address} broke: ${err.message}`));
  });
  call.on('end', () => channel.close());
  return {
    channel,
    cancel: () => {
      cancelled = true;
      call.cancel();
      channel.close();
    },
  };
}
