import { barrierFromJson, barrierToJson, datumFromJson, datumToJson, decodeChunk, encodeChunk, type DataType } from '@tributary/common';
import type { Message } from '../stream/message.ts';

const KIND_CHUNK = 0;
const KIND_BARRIER = 1;
const KIND_WATERMARK = 2;
const TEXT = new TextEncoder();
const UTF8 = new TextDecoder();

/** One stream message on the wire: u8 kind | payload (chunk codec, or JSON). */
export function encodeMessage(types: readonly DataType[], msg: Message): Uint8Array {
  let kind: number;
  let payload: Uint8Array;
  if (msg.kind === 'chunk') {
    kind = KIND_CHUNK;
    payload = encodeChunk(types, msg.chunk);
  } else if (msg.kind === 'barrier') {
    kind = KIND_BARRIER;
    payload = TEXT.encode(barrierToJson(msg.barrier));
  } else {
    kind = KIND_WATERMARK;
    payload = TEXT.encode(JSON.stringify({ column: msg.column, value: datumToJson(types[msg.column], msg.value) }));
  }
  const out = new Uint8Array(payload.length + 1);
  out[0] = kind;
  out.set(payload, 1);
  return out;
}

export function decodeMessage(types: readonly DataType[], bytes: Uint8Array): Message {
  const payload = bytes.subarray(1);
  switch (bytes[0]) {
    case KIND_CHUNK:
      return { kind: 'chunk', chunk: decodeChunk(types, payload) };
    case KIND_BARRIER:
      return { kind: 'barrier', barrier: barrierFromJson(UTF8.decode(payload)) };
    case KIND_WATERMARK: {
      const o = JSON.parse(UTF8.decode(payload));
      return { kind: 'watermark', column: o.column, value: datumFromJson(types[o.column], o.value) };
    }
    default:
      throw new Error(`corrupted exchange message: kind ${bytes[0]}`);
  }
}
