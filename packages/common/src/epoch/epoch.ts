/**
 * Epochs: u64 = (ms since 2021-04-01T00:00:00Z) << 16, carried as bigint. The low 16 bits let
 * several epochs share one millisecond.
 */
export type Epoch = bigint;

export const EPOCH_BASE_MS = Date.UTC(2021, 3, 1);
export const EPOCH_PHYSICAL_SHIFT = 16n;
/** The epoch below every real epoch: reading at it sees nothing. */
export const INVALID_EPOCH: Epoch = 0n;
export const MAX_EPOCH: Epoch = 0xffff_ffff_ffff_ffffn;

export function epochFromMs(ms: number): Epoch {
  return BigInt(Math.max(0, Math.floor(ms - EPOCH_BASE_MS))) << EPOCH_PHYSICAL_SHIFT;
}

export function epochToMs(epoch: Epoch): number {
  return Number(epoch >> EPOCH_PHYSICAL_SHIFT) + EPOCH_BASE_MS;
}

/** The next epoch after `prev`: physical time now, strictly greater than prev. */
export function nextEpoch(prev: Epoch, nowMs = Date.now()): Epoch {
  const byTime = epochFromMs(nowMs);
  return byTime > prev ? byTime : prev + 1n;
}
