import type { HummockVersion } from '../../version/version.ts';
import { overlapping, type KeyRange } from './key-range.ts';

/** True when no level below `targetLevel` holds an SST overlapping `range` (tombstones there shadow nothing). */
export function isBottommost(version: HummockVersion, targetLevel: number, range: KeyRange): boolean {
  for (let lv = targetLevel + 1; lv <= version.levels.length; lv++) {
    if (overlapping(version.levels[lv - 1], range).length > 0) return false;
  }
  return true;
}
