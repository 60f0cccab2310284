/**
 * Bloom filter over user keys (LevelDB style): `k` probes by double hashing one 32-bit hash
 * (h, h + delta, h + 2·delta, ...). Encoded as the bit array followed by one byte holding k.
 * No false negatives; ~1% false positives at 10 bits per key.
 */

/** 32-bit MurmurHash3 (x86_32) of bytes. */
export function hash32(key: Uint8Array, seed = 0xbc9f1d34): number {
  let h = seed >>> 0;
  const n = key.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (n & 3) {
    case 3:
      k ^= key[blocks + 2] << 16;
    // falls through
    case 2:
      k ^= key[blocks + 1] << 8;
    // falls through
    case 1:
      k ^= key[blocks];
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Builds the filter bytes from key hashes (see hash32). */
export function buildBloomFilter(hashes: ArrayLike<number>, bitsPerKey: number): Uint8Array {
  const k = Math.max(1, Math.min(30, Math.round(bitsPerKey * 0.69)));
  const bits = Math.max(64, hashes.length * bitsPerKey);
  const bytes = Math.ceil(bits / 8);
  const nbits = bytes * 8;
  const out = new Uint8Array(bytes + 1);
  for (let i = 0; i < hashes.length; i++) {
    let h = hashes[i] >>> 0;
    const delta = ((h >>> 17) | (h << 15)) >>> 0;
    for (let j = 0; j < k; j++) {
      const pos = h % nbits;
      out[pos >>> 3] |= 1 << (pos & 7);
      h = (h + delta) >>> 0;
    }
  }
  out[bytes] = k;
  return out;
}

/** True if the key may be in the set; false means it surely is not. */
export function bloomMayContain(filter: Uint8Array, keyHash: number): boolean {
  if (filter.length < 2) return true; // no/empty filter: cannot exclude
  const bytes = filter.length - 1;
  const k = filter[bytes];
  if (k < 1 || k > 30) return true; // unknown encoding: never give a false negative
  const nbits = bytes * 8;
  let h = keyHash >>> 0;
  const delta = ((h >>> 17) | (h << 15)) >>> 0;
  for (let j = 0; j < k; j++) {
    const pos = h % nbits;
    if ((filter[pos >>> 3] & (1 << (pos & 7))) === 0) return false;
    h = (h + delta) >>> 0;
  }
  return true;
}
