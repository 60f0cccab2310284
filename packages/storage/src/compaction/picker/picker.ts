import type { HummockVersion } from '../../version/version.ts';
import type { CompactionConfig } from '../compaction-config.ts';
import type { CompactTask } from '../compact-task.ts';
import { pickL0 } from './l0-picker.ts';
import { pickLeveled } from './level-picker.ts';

/** The next compaction task for `version`, or null. L0 first: its sub-levels slow every read. Pure. */
export function pick(version: HummockVersion, config: CompactionConfig): CompactTask | null {
  return pickL0(version, config) ?? pickLeveled(version, config);
}

/** A task even below the triggers (`ctl hummock compact`): all of L0 (up to the size bound) into L1, else a leveled task. */
export function pickManual(version: HummockVersion, config: CompactionConfig): CompactTask | null {
  return pickL0(version, config, true) ?? pickLeveled(version, config);
}
