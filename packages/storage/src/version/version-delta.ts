import type { SstInfo } from './sst-info.ts';
import type { HummockVersion, SubLevel } from './version.ts';
import { compareFullKeys, fromHex } from '../key/full-key.ts';

/** A change meta commits atomically: version `prevId` → version `id`. */
export interface HummockVersionDelta {
  id: number;
  prevId: number;
  maxCommittedEpoch: bigint;
  safeEpoch: bigint;
  /** Appended as the newest L0 sub-level. */
  newL0SubLevel?: SubLevel;
  /** SSTs removed from any level (compaction inputs). Empty sub-levels are dropped. */
  removedSstIds?: number[];
  /** Reserved for compaction: SSTs added to level `level` (1..6), kept sorted by smallest key. */
  addedToLevels?: { level: number; ssts: SstInfo[] }[];
}

/** Applies a delta to a version, returning a new version. Pure. Precondition: d.prevId === v.id. */
export function applyVersionDelta(v: HummockVersion, d: HummockVersionDelta): HummockVersion {
  if (d.prevId !== v.id) throw new Error(`assertion failed: delta ${d.id} expects version ${d.prevId}, got ${v.id}`);
  const removed = new Set(d.removedSstIds ?? []);
  const keep = (ssts: SstInfo[]) => (removed.size ? ssts.filter((s) => !removed.has(s.id)) : ssts);
  const l0 = v.l0.map((sl) => ({ id: sl.id, ssts: keep(sl.ssts) })).filter((sl) => sl.ssts.length > 0);
  if (d.newL0SubLevel && d.newL0SubLevel.ssts.length > 0) l0.push({ id: d.newL0SubLevel.id, ssts: [...d.newL0SubLevel.ssts] });
  const levels = v.levels.map(keep);
  for (const add of d.addedToLevels ?? []) {
    const merged = [...levels[add.level - 1], ...add.ssts];
    merged.sort((a, b) => compareFullKeys(fromHex(a.smallestKey), fromHex(b.smallestKey)));
    levels[add.level - 1] = merged;
  }
  return { id: d.id, l0, levels, maxCommittedEpoch: d.maxCommittedEpoch, safeEpoch: d.safeEpoch };
}

/** JSON text of a delta (bigints as decimal strings). */
export function deltaToJson(d: HummockVersionDelta): string {
  return JSON.stringify({ ...d, maxCommittedEpoch: d.maxCommittedEpoch.toString(), safeEpoch: d.safeEpoch.toString() });
}

/** Parses `deltaToJson` output (text or the already-parsed object). */
export function deltaFromJson(json: string | object): HummockVersionDelta {
  const o = (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>;
  return {
    ...(o as unknown as HummockVersionDelta),
    id: Number(o.id),
    prevId: Number(o.prevId),
    maxCommittedEpoch: BigInt(o.maxCommittedEpoch as string),
    safeEpoch: BigInt(o.safeEpoch as string),
  };
}
