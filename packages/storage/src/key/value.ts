/**
 * Stored values: a 1-byte tag then the payload.
 *
 *   put:    [1][row bytes]
 *   delete: [0]
 */
export const TAG_DELETE = 0;
export const TAG_PUT = 1;

const TOMBSTONE = new Uint8Array([TAG_DELETE]);

/** Encodes a put (bytes) or a delete (null). */
export function encodeValue(value: Uint8Array | null): Uint8Array {
  if (value === null) return TOMBSTONE;
  const out = new Uint8Array(value.length + 1);
  out[0] = TAG_PUT;
  out.set(value, 1);
  return out;
}

export function isTombstone(encoded: Uint8Array): boolean {
  return encoded[0] === TAG_DELETE;
}

/** Payload of an encoded put (a view). */
export function valuePayload(encoded: Uint8Array): Uint8Array {
  return encoded.subarray(1);
}
