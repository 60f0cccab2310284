/**
 * Keys of the state store.
 *
 *   user key = table_id (u32 BE) | vnode (u16 BE) | table key (memcomparable pk, opaque here)
 *   full key = user key | (2^64 - 1 - epoch) (u64 BE)
 *
 * User keys order by unsigned byte comparison. Full keys order by user key, then newest epoch
 * first (compareFullKeys) — not by plain bytes, since one user key may prefix another.
 */

export const EPOCH_LEN = 8;
export const USER_KEY_HEADER_LEN = 6;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** table_id | vnode | pk bytes. */
export function userKey(tableId: number, vnode: number, pk: Uint8Array): Uint8Array {
  const out = new Uint8Array(USER_KEY_HEADER_LEN + pk.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, tableId);
  dv.setUint16(4, vnode);
  out.set(pk, USER_KEY_HEADER_LEN);
  return out;
}

/** Table id of a user key or full key. */
export function tableIdOf(key: Uint8Array): number {
  return ((key[0] << 24) | (key[1] << 16) | (key[2] << 8) | key[3]) >>> 0;
}

/** Vnode of a user key or full key. */
export function vnodeOf(key: Uint8Array): number {
  return (key[4] << 8) | key[5];
}

let cachedEpoch = -1n;
let cachedEpochBytes = new Uint8Array(EPOCH_LEN);

/** The 8 epoch bytes as stored (inverted, big-endian). Callers must not mutate the result. */
export function encodeEpoch(epoch: bigint): Uint8Array {
  // Reads and writes use a few epochs over and over: skip the bigint work for a repeat.
  if (epoch === cachedEpoch) return cachedEpochBytes;
  const out = new Uint8Array(EPOCH_LEN);
  new DataView(out.buffer).setBigUint64(0, U64_MAX - epoch);
  cachedEpoch = epoch;
  cachedEpochBytes = out;
  return out;
}

/** userKey | inverted epoch. */
export function fullKey(uk: Uint8Array, epoch: bigint): Uint8Array {
  const eb = encodeEpoch(epoch);
  const n = uk.length;
  const out = new Uint8Array(n + EPOCH_LEN);
  if (n > 64) out.set(uk, 0);
  else for (let i = 0; i < n; i++) out[i] = uk[i];
  for (let i = 0; i < EPOCH_LEN; i++) out[n + i] = eb[i];
  return out;
}

/** Epoch of a full key. */
export function epochOf(fk: Uint8Array): bigint {
  return U64_MAX - new DataView(fk.buffer, fk.byteOffset, fk.byteLength).getBigUint64(fk.length - EPOCH_LEN);
}

/** User-key part of a full key (a view, not a copy). */
export function userKeyOf(fk: Uint8Array): Uint8Array {
  return fk.subarray(0, fk.length - EPOCH_LEN);
}

export function splitFullKey(fk: Uint8Array): { userKey: Uint8Array; epoch: bigint } {
  return { userKey: userKeyOf(fk), epoch: epochOf(fk) };
}

/** Unsigned lexicographic comparison: negative, 0 or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Full-key order: by user key, then newest epoch first. Not plain byte order: a user key may be a
 * prefix of another (e.g. a `table|vnode` scan bound), so the user-key parts compare first.
 */
export function compareFullKeys(a: Uint8Array, b: Uint8Array): number {
  const byUserKey = compareUserKeyOfFull(a, b);
  if (byUserKey !== 0) return byUserKey;
  // Same user key: the (inverted) epoch bytes put the newest version first.
  for (let i = a.length - EPOCH_LEN; i < a.length; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return 0;
}

/** Compares the user-key parts of two full keys without allocating. */
export function compareUserKeyOfFull(a: Uint8Array, b: Uint8Array): number {
  const la = a.length - EPOCH_LEN;
  const lb = b.length - EPOCH_LEN;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Compares the user key of full key `fk` with user key `uk` without allocating. */
export function compareFullWithUser(fk: Uint8Array, uk: Uint8Array): number {
  const la = fk.length - EPOCH_LEN;
  const n = la < uk.length ? la : uk.length;
  for (let i = 0; i < n; i++) {
    const d = fk[i] - uk[i];
    if (d !== 0) return d;
  }
  return la - uk.length;
}

/** True when the epoch of `fk` is <= the epoch whose encoding (see encodeEpoch) is `readEpochBytes`. */
export function epochVisible(fk: Uint8Array, readEpochBytes: Uint8Array): boolean {
  const off = fk.length - EPOCH_LEN;
  for (let i = 0; i < EPOCH_LEN; i++) {
    const d = fk[off + i] - readEpochBytes[i];
    if (d !== 0) return d > 0; // inverted: larger stored bytes = older epoch
  }
  return true;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
