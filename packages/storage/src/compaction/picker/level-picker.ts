import type { HummockVersion } from '../../version/version.ts';
import type { SstInfo } from '../../version/sst-info.ts';
import type { CompactionConfig } from '../compaction-config.ts';
import type { CompactTask } from '../compact-task.ts';
import { overlapping, sstRange, totalBytes, unionRange } from './key-range.ts';
import { isBottommost } from './bottommost.ts';

/** Target size of level `level` (1..6). */
export function levelTargetBytes(config: CompactionConfig, level: number): number {
  return config.l1TargetBytes * config.levelSizeRatio ** (level - 1);
}

/**
 * Leveled compaction Ln → Ln+1 (n = 1..5) by size ratio.
 *
 * 1. Score each level: bytes / target bytes. Take the highest score above 1 (ties: upper level).
 * 2. From that level take the SST whose overlap with Ln+1 is the smallest relative to its size
 *    (cheapest write amplification), plus the Ln+1 SSTs it overlaps.
 * 3. No overlap: a trivial move.
 */
export function pickLeveled(version: HummockVersion, config: CompactionConfig): CompactTask | null {
  let best = 0;
  let bestScore = 1;
  for (let lv = 1; lv < version.levels.length; lv++) {
    const score = totalBytes(version.levels[lv - 1]) / levelTargetBytes(config, lv);
    if (score > bestScore) {
      best = lv;
      bestScore = score;
    }
  }
  if (best === 0) return null;
  const upper = version.levels[best - 1];
  const lower = version.levels[best];
  let pick: SstInfo = upper[0];
  let pickLower: SstInfo[] = overlapping(lower, sstRange(pick));
  let pickRatio = totalBytes(pickLower) / Math.max(1, pick.fileSize);
  for (let i = 1; i < upper.length && pickRatio > 0; i++) {
    const lo = overlapping(lower, sstRange(upper[i]));
    const ratio = totalBytes(lo) / Math.max(1, upper[i].fileSize);
    if (ratio < pickRatio) [pick, pickLower, pickRatio] = [upper[i], lo, ratio];
  }
  const inputs: CompactTask['inputs'] = [{ level: best, ssts: [pick] }];
  if (pickLower.length > 0) inputs.push({ level: best + 1, ssts: pickLower });
  return {
    kind: pickLower.length === 0 ? 'trivial-move' : 'leveled',
    inputs,
    targetLevel: best + 1,
    trivialMove: pickLower.length === 0,
    bottommost: isBottommost(version, best + 1, unionRange([pick, ...pickLower])),
    safeEpoch: version.safeEpoch,
    targetFileSizeBytes: config.targetFileSizeBytes,
  };
}
