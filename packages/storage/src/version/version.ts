import type { SstInfo } from './sst-info.ts';

/** An L0 sub-level: the SSTs of one commit. SSTs inside it do not overlap; sub-levels may. */
export interface SubLevel {
  id: number;
  ssts: SstInfo[];
}

/**
 * A consistent view of the committed LSM tree. Immutable: changed only by applying a
 * HummockVersionDelta that meta committed.
 */
export interface HummockVersion {
  id: number;
  /** L0 sub-levels, oldest first (newest sub-level LAST). */
  l0: SubLevel[];
  /** L1..L6 (index 0 = L1); each level sorted by key and non-overlapping. */
  levels: SstInfo[][];
  maxCommittedEpoch: bigint;
  safeEpoch: bigint;
}

export const LEVEL_COUNT = 6;

export function emptyVersion(): HummockVersion {
  return { id: 0, l0: [], levels: Array.from({ length: LEVEL_COUNT }, () => []), maxCommittedEpoch: 0n, safeEpoch: 0n };
}

/** Every SST referenced by the version (L0 newest sub-level first, then L1..L6). */
export function allSsts(v: HummockVersion): SstInfo[] {
  const out: SstInfo[] = [];
  for (let i = v.l0.length - 1; i >= 0; i--) out.push(...v.l0[i].ssts);
  for (const level of v.levels) out.push(...level);
  return out;
}

/** JSON text of a version (bigints as decimal strings). */
export function versionToJson(v: HummockVersion): string {
  return JSON.stringify({ ...v, maxCommittedEpoch: v.maxCommittedEpoch.toString(), safeEpoch: v.safeEpoch.toString() });
}

/** Parses `versionToJson` output (text or the already-parsed object). */
export function versionFromJson(json: string | object): HummockVersion {
  const o = (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>;
  const levels = (o.levels as SstInfo[][] | undefined) ?? [];
  while (levels.length < LEVEL_COUNT) levels.push([]);
  return {
    id: Number(o.id),
    l0: (o.l0 as SubLevel[]) ?? [],
    levels,
    maxCommittedEpoch: BigInt(o.maxCommittedEpoch as string),
    safeEpoch: BigInt(o.safeEpoch as string),
  };
}
