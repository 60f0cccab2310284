import { crc32 } from 'node:zlib';
import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { ByteWriter } from '../row/byte-buffer.ts';
import { encodeColumn } from './memcomparable.ts';

/**
 * Virtual nodes: every row of a distributed table or state belongs to one of VNODE_COUNT vnodes by
 * a hash of its distribution key; actors own sets of vnodes (RisingWave's consistent hashing).
 *
 * The hash is crc32 of the key's memcomparable (ascending) encoding, not the row value encoding:
 * values that compare equal (numeric 1.0 and 1.00, interval '1 mon' and '30 days', -0.0 and 0)
 * must land on the same vnode or grouping and joins would split them.
 */
export const VNODE_COUNT = 256;

const WRITER = new ByteWriter(128);

/**
 * The vnode of a distribution key. With `isRowId` (the single key column is a generated `_row_id`)
 * the vnode embedded in the id is used, so rows stay on the vnode of the actor that made the id.
 */
export function computeVnode(types: readonly DataType[], datums: readonly Datum[], isRowId = false): number {
  if (isRowId && types.length === 1 && typeof datums[0] === 'bigint') return extractVnodeFromRowId(datums[0]);
  const w = WRITER;
  w.reset();
  for (let i = 0; i < types.length; i++) encodeColumn(w, types[i], datums[i], false, false);
  return crc32(w.buf.subarray(0, w.pos)) % VNODE_COUNT;
}

/**
 * Vnodes of a whole chunk, column-wise: `keyColumns[k][row]` is key column k of each row.
 * Writes into `out` (length >= n) to avoid allocating per chunk.
 */
export function computeVnodes(
  types: readonly DataType[],
  keyColumns: readonly Datum[][],
  n: number,
  out: Uint16Array | number[],
  isRowId = false,
): void {
  const w = WRITER;
  if (isRowId && types.length === 1) {
    const col = keyColumns[0];
    for (let r = 0; r < n; r++) out[r] = typeof col[r] === 'bigint' ? extractVnodeFromRowId(col[r] as bigint) : 0;
    return;
  }
  for (let r = 0; r < n; r++) {
    w.reset();
    for (let i = 0; i < types.length; i++) encodeColumn(w, types[i], keyColumns[i][r], false, false);
    out[r] = crc32(w.buf.subarray(0, w.pos)) % VNODE_COUNT;
  }
}

// ---------------------------------------------------------------------------------------------
// Row ids:  | ms since ROW_ID_EPOCH_MS (41 bits) | vnode (10 bits) | sequence (12 bits) |

export const ROW_ID_EPOCH_MS = Date.UTC(2021, 3, 1);
const VNODE_SHIFT = 12n;
const TIME_SHIFT = 22n;
const SEQUENCE_MAX = 1 << 12;

export function extractVnodeFromRowId(id: bigint): number {
  return Number((id >> VNODE_SHIFT) & 0x3ffn);
}

export function makeRowId(msSinceBase: number, vnode: number, sequence: number): bigint {
  return (BigInt(msSinceBase) << TIME_SHIFT) | (BigInt(vnode) << VNODE_SHIFT) | BigInt(sequence);
}

/**
 * Generates `_row_id`s for one actor. Successive ids cycle over the owned vnodes (spreading
 * inserts evenly); all ids are unique, and ids of one vnode strictly increase. Ids of different
 * vnodes within one millisecond are not ordered by generation (vnode bits sit above the sequence),
 * as in RisingWave. When a millisecond's 4096 sequences are used up the logical clock moves ahead.
 */
export class RowIdGenerator {
  private readonly vnodes: number[];
  private lastMs = -1;
  private sequence = 0;
  private vnodeIndex = 0;

  constructor(
    vnodes: readonly number[],
    private readonly nowMs: () => number = Date.now,
  ) {
    if (vnodes.length === 0) throw new Error('assertion failed: RowIdGenerator needs at least one vnode');
    this.vnodes = [...vnodes].sort((a, b) => a - b);
  }

  next(): bigint {
    const now = Math.max(0, this.nowMs() - ROW_ID_EPOCH_MS);
    if (now > this.lastMs) {
      this.lastMs = now;
      this.sequence = 0;
      this.vnodeIndex = 0;
    } else if (this.vnodeIndex === this.vnodes.length) {
      this.vnodeIndex = 0;
      this.sequence++;
      if (this.sequence === SEQUENCE_MAX) {
        this.lastMs++;
        this.sequence = 0;
      }
    }
    return makeRowId(this.lastMs, this.vnodes[this.vnodeIndex++], this.sequence);
  }
}
