export { type CompactTask, type CompactInput, type CompactTaskKind, taskInputSsts, describeTask, taskToJson, taskFromJson } from './compact-task.ts';
export { type CompactionConfig, DEFAULT_COMPACTION_CONFIG } from './compaction-config.ts';
export { pick, pickManual } from './picker/picker.ts';
export { pickL0 } from './picker/l0-picker.ts';
export { pickLeveled, levelTargetBytes } from './picker/level-picker.ts';
export { pickReclaim } from './picker/reclaim-picker.ts';
export { apply, isTaskValid } from './picker/apply.ts';
export { Compactor, type CompactorOptions, type CompactStats } from './compactor.ts';
