/**
 * State table storage keys:
 *
 * ```
 * +---------------+-------------+----------------------------+
 * | table_id u32  | vnode u16   | memcomparable(pk datums)   |
 * | big endian    | big endian  | (order per pk column)      |
 * +---------------+-------------+----------------------------+
 * ```
 *
 * Keys of one table sort by vnode, then by pk. The state store appends the epoch itself.
 */
export const TABLE_PREFIX_BYTES = 4;
export const VNODE_PREFIX_BYTES = TABLE_PREFIX_BYTES + 2;

/** `table_id | vnode`: the prefix of every key of one vnode of a table. */
export function vnodePrefix(tableId: number, vnode: number): Uint8Array {
  const out = new Uint8Array(VNODE_PREFIX_BYTES);
  writePrefix(out, tableId, vnode);
  return out;
}

/** `table_id`: the prefix of every key of a table. */
export function tablePrefix(tableId: number): Uint8Array {
  const out = new Uint8Array(TABLE_PREFIX_BYTES);
  new DataView(out.buffer).setUint32(0, tableId >>> 0, false);
  return out;
}

/** Full user key `table_id | vnode | pk`. */
export function stateKey(tableId: number, vnode: number, pk: Uint8Array): Uint8Array {
  const out = new Uint8Array(VNODE_PREFIX_BYTES + pk.length);
  writePrefix(out, tableId, vnode);
  out.set(pk, VNODE_PREFIX_BYTES);
  return out;
}

/** The vnode a full key belongs to. */
export function vnodeOfKey(key: Uint8Array): number {
  return (key[TABLE_PREFIX_BYTES] << 8) | key[TABLE_PREFIX_BYTES + 1];
}

/**
 * The smallest key greater than every key starting with `prefix` (exclusive range end), or null
 * when there is none (prefix all 0xff).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | null {
  const out = prefix.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i]++;
      return out.subarray(0, i + 1);
    }
  }
  return null;
}

function writePrefix(out: Uint8Array, tableId: number, vnode: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, tableId >>> 0, false);
  view.setUint16(TABLE_PREFIX_BYTES, vnode, false);
}

/** Key bytes as a latin1 string: one char per byte, so string order is byte order. */
export function keyToString(key: Uint8Array): string {
  let s = '';
  for (let i = 0; i < key.length; i += 4096) {
    s += String.fromCharCode.apply(null, key.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
