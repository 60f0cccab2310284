export { type SstInfo, sstObjectPath } from './sst-info.ts';
export { type HummockVersion, type SubLevel, LEVEL_COUNT, emptyVersion, allSsts, versionToJson, versionFromJson } from './version.ts';
export { type HummockVersionDelta, applyVersionDelta, deltaToJson, deltaFromJson } from './version-delta.ts';
export { type PinReport, PinTracker } from './pin-tracker.ts';
