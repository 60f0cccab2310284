import { crc32 } from 'node:zlib';
import { readU32 } from './varint.ts';
import { BLOCK_TRAILER_LEN } from './format.ts';
import { corruptedError } from '../storage-errors.ts';

/** A decoded, checksum-verified data block. Immutable; shared through the block cache. */
export class Block {
  private constructor(
    /** Block bytes (entries, restarts, trailer). */
    readonly data: Uint8Array,
    /** End of the entries = start of the restart array. */
    readonly entriesEnd: number,
    /** Offsets of restart entries, ascending. */
    readonly restarts: Uint32Array,
  ) {}

  /** Verifies the CRC and the restart array; throws StorageError(DataCorrupted) naming the object. */
  static decode(data: Uint8Array, objectPath: string, blockIdx: number): Block {
    const where = `block ${blockIdx}`;
    if (data.length < BLOCK_TRAILER_LEN) throw corruptedError(objectPath, `${where} too short (${data.length} bytes)`);
    const crcOff = data.length - 4;
    if (crc32(data.subarray(0, crcOff)) !== readU32(data, crcOff)) throw corruptedError(objectPath, `${where} checksum mismatch`);
    const n = readU32(data, crcOff - 4);
    const entriesEnd = crcOff - 4 - 4 * n;
    if (n === 0 || entriesEnd < 0) throw corruptedError(objectPath, `${where} bad restart count ${n}`);
    const restarts = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const r = readU32(data, entriesEnd + 4 * i);
      if (r >= entriesEnd || (i > 0 && r <= restarts[i - 1])) throw corruptedError(objectPath, `${where} bad restart offset`);
      restarts[i] = r;
    }
    return new Block(data, entriesEnd, restarts);
  }

  sizeBytes(): number {
    return this.data.length;
  }
}
