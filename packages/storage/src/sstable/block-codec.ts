import { crc32 } from 'node:zlib';
import { compressSync, uncompressSync } from 'lz4-napi';
import { readU32 } from './varint.ts';
import { BLOCK_CODEC, STORED_BLOCK_TRAILER_LEN, type BlockCompression } from './format.ts';
import { corruptedError } from '../storage-errors.ts';

/** Compression is kept only when it saves at least 1/8 of the block. */
const MIN_SAVING_DIVISOR = 8;

/**
 * Wraps an encoded block (block-builder.ts output) for storage in a format-2 SSTable:
 * `payload | raw length u32 | codec u8 | crc32 u32` (layout in format.ts).
 */
export function encodeStoredBlock(raw: Uint8Array, compression: BlockCompression): Uint8Array {
  let codec: number = BLOCK_CODEC.none;
  let payload = raw;
  if (compression === 'lz4') {
    const c = compressSync(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    if (c.length < raw.length - raw.length / MIN_SAVING_DIVISOR) {
      codec = BLOCK_CODEC.lz4;
      payload = c;
    }
  }
  const out = new Uint8Array(payload.length + STORED_BLOCK_TRAILER_LEN);
  out.set(payload, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(payload.length, raw.length, true);
  out[payload.length + 4] = codec;
  dv.setUint32(payload.length + 5, crc32(out.subarray(0, payload.length + 5)), true);
  return out;
}

/** Checks and unwraps a stored block; returns the raw block bytes. Errors name the object and block. */
export function decodeStoredBlock(stored: Uint8Array, objectPath: string, blockIdx: number): Uint8Array {
  const where = `block ${blockIdx}`;
  if (stored.length < STORED_BLOCK_TRAILER_LEN) throw corruptedError(objectPath, `${where} too short (${stored.length} bytes)`);
  const crcOff = stored.length - 4;
  if (crc32(stored.subarray(0, crcOff)) !== readU32(stored, crcOff)) throw corruptedError(objectPath, `${where} checksum mismatch`);
  const payloadLen = stored.length - STORED_BLOCK_TRAILER_LEN;
  const rawLen = readU32(stored, payloadLen);
  const codec = stored[payloadLen + 4];
  const payload = stored.subarray(0, payloadLen);
  if (codec === BLOCK_CODEC.none) {
    if (rawLen !== payloadLen) throw corruptedError(objectPath, `${where} length ${payloadLen} does not match recorded ${rawLen}`);
    return payload;
  }
  if (codec !== BLOCK_CODEC.lz4) throw corruptedError(objectPath, `${where} unknown compression codec ${codec}`);
  let raw: Uint8Array;
  try {
    raw = uncompressSync(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  } catch (err) {
    throw corruptedError(objectPath, `${where} lz4 decompression failed`, err);
  }
  if (raw.length !== rawLen) throw corruptedError(objectPath, `${where} decompressed to ${raw.length} bytes, expected ${rawLen}`);
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
