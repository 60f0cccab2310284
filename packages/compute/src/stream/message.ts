import type { Barrier, Datum, StreamChunk } from '@tributary/common';

/** What flows between executors: data chunks, barriers, watermarks. */
export type Message =
  | { kind: 'chunk'; chunk: StreamChunk }
  | { kind: 'barrier'; barrier: Barrier }
  | { kind: 'watermark'; column: number; value: Datum };

export function chunkMessage(chunk: StreamChunk): Message {
  return { kind: 'chunk', chunk };
}

export function barrierMessage(barrier: Barrier): Message {
  return { kind: 'barrier', barrier };
}
