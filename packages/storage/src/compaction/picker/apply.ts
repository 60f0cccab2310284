import type { HummockVersion } from '../../version/version.ts';
import type { HummockVersionDelta } from '../../version/version-delta.ts';
import type { SstInfo } from '../../version/sst-info.ts';
import { taskInputSsts, type CompactTask } from '../compact-task.ts';
import { overlapping, unionRange } from './key-range.ts';

/**
 * Whether `task` (picked from an older version) still applies to `version`: every input is still
 * at its level, and no SST outside the task overlaps its key range at the target level. A commit
 * that happened meanwhile only appends newer L0 sub-levels, so a task usually stays valid.
 */
export function isTaskValid(version: HummockVersion, task: CompactTask): boolean {
  for (const input of task.inputs) {
    const present = new Set((input.level === 0 ? version.l0.flatMap((sl) => sl.ssts) : version.levels[input.level - 1]).map((s) => s.id));
    if (!input.ssts.every((s) => present.has(s.id))) return false;
  }
  const inputIds = new Set(taskInputSsts(task).map((s) => s.id));
  const target = version.levels[task.targetLevel - 1];
  return overlapping(target, unionRange(taskInputSsts(task))).every((s) => inputIds.has(s.id));
}

/**
 * The delta that replaces the task's inputs with `outputs` at the target level. Pure.
 * Precondition: `isTaskValid(version, task)` (asserted).
 */
export function apply(version: HummockVersion, task: CompactTask, outputs: SstInfo[]): HummockVersionDelta {
  if (!isTaskValid(version, task)) throw new Error('assertion failed: compaction task no longer applies to the version');
  const delta: HummockVersionDelta = {
    id: version.id + 1,
    prevId: version.id,
    maxCommittedEpoch: version.maxCommittedEpoch,
    safeEpoch: task.safeEpoch > version.safeEpoch ? task.safeEpoch : version.safeEpoch,
    removedSstIds: taskInputSsts(task).map((s) => s.id),
  };
  if (outputs.length > 0) delta.addedToLevels = [{ level: task.targetLevel, ssts: outputs }];
  return delta;
}
