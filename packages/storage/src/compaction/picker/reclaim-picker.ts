import type { HummockVersion } from '../../version/version.ts';
import type { CompactionConfig } from '../compaction-config.ts';
import type { CompactTask } from '../compact-task.ts';
import { sstRange } from './key-range.ts';
import { isBottommost } from './bottommost.ts';

/**
 * Space reclaim (RisingWave's): the first SST of L1..L6 that holds keys of a dropped table is
 * rewritten in place, at its own level, without them (the compactor filters them out); an SST
 * holding nothing else leaves no output. One SST per task: its outputs stay inside its key range,
 * so the level stays non-overlapping. L0 needs no such task: L0 → base compactions filter too.
 * Pure; null when no SST below L0 holds a dropped table.
 */
export function pickReclaim(version: HummockVersion, droppedTableIds: ReadonlySet<number>, config: CompactionConfig): CompactTask | null {
  if (droppedTableIds.size === 0) return null;
  for (let lv = 1; lv <= version.levels.length; lv++) {
    const sst = version.levels[lv - 1].find((s) => s.tableIds.some((t) => droppedTableIds.has(t)));
    if (!sst) continue;
    return {
      kind: 'space-reclaim',
      inputs: [{ level: lv, ssts: [sst] }],
      targetLevel: lv,
      trivialMove: false,
      bottommost: isBottommost(version, lv, sstRange(sst)),
      safeEpoch: version.safeEpoch,
      targetFileSizeBytes: config.targetFileSizeBytes,
    };
  }
  return null;
}
