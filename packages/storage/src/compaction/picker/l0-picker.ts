import type { HummockVersion, SubLevel } from '../../version/version.ts';
import type { CompactionConfig } from '../compaction-config.ts';
import type { CompactTask } from '../compact-task.ts';
import { overlapping, rangesOverlap, sstRange, totalBytes, unionRange } from './key-range.ts';
import { isBottommost } from './bottommost.ts';

/**
 * L0 → L1 (the base level).
 *
 * 1. Nothing to do below `l0SubLevelCompactTrigger` sub-levels (unless `force`).
 * 2. Trivial move: when the oldest sub-level overlaps no other L0 SST and no L1 SST, its SSTs move
 *    to L1 unchanged (nothing older can hide behind them, nothing newer shares their keys).
 * 3. Otherwise merge the oldest sub-levels (up to `maxCompactionBytes`, at least one) with the L1
 *    SSTs they overlap. Taking the oldest ones keeps the rest of L0 newer than L1.
 */
export function pickL0(version: HummockVersion, config: CompactionConfig, force = false): CompactTask | null {
  const l0 = version.l0;
  if (l0.length === 0 || (!force && l0.length < config.l0SubLevelCompactTrigger)) return null;
  const l1 = version.levels[0];
  const oldest = l0[0];
  const others = l0.slice(1).flatMap((sl) => sl.ssts);
  const oldestRange = unionRange(oldest.ssts);
  const isolated = others.every((s) => !rangesOverlap(sstRange(s), oldestRange)) && overlapping(l1, oldestRange).length === 0;
  if (isolated && !ssTsOverlapEachOther(oldest)) {
    return task(version, config, [oldest], [], 'trivial-move', true);
  }
  const picked: SubLevel[] = [];
  let bytes = 0;
  for (const sl of l0) {
    const b = totalBytes(sl.ssts);
    if (picked.length > 0 && bytes + b > config.maxCompactionBytes) break;
    picked.push(sl);
    bytes += b;
  }
  const range = unionRange(picked.flatMap((sl) => sl.ssts));
  return task(version, config, picked, overlapping(l1, range), force ? 'manual' : 'l0-to-base', false);
}

/** SSTs of one sub-level may share key ranges (one node's flushes of one epoch): then they must be merged, not moved. */
function ssTsOverlapEachOther(sl: SubLevel): boolean {
  const rs = sl.ssts.map(sstRange);
  for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) if (rangesOverlap(rs[i], rs[j])) return true;
  return false;
}

function task(
  version: HummockVersion,
  config: CompactionConfig,
  subLevels: SubLevel[],
  l1: CompactTask['inputs'][number]['ssts'],
  kind: CompactTask['kind'],
  trivialMove: boolean,
): CompactTask {
  const newestFirst = [...subLevels].reverse();
  const inputs: CompactTask['inputs'] = [{ level: 0, subLevelIds: newestFirst.map((sl) => sl.id), ssts: newestFirst.flatMap((sl) => sl.ssts) }];
  if (l1.length > 0) inputs.push({ level: 1, ssts: l1 });
  const all = inputs.flatMap((i) => i.ssts);
  return {
    kind,
    inputs,
    targetLevel: 1,
    trivialMove,
    bottommost: isBottommost(version, 1, unionRange(all)),
    safeEpoch: version.safeEpoch,
    targetFileSizeBytes: config.targetFileSizeBytes,
  };
}
