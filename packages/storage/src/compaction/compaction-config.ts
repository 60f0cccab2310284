
/** Knobs of the compaction pickers. All sizes in bytes. */
export interface CompactionConfig {
  /** L0 → L1 compaction starts when L0 has at least this many sub-levels. */
  l0SubLevelCompactTrigger: number;
  /** Target size of L1; level n (n ≥ 2) targets `l1TargetBytes * levelSizeRatio^(n-1)`. */
  l1TargetBytes: number;
  levelSizeRatio: number;
  /** Output SSTs are cut at the first user-key boundary past this size. */
  targetFileSizeBytes: number;
  /** Upper bound of input bytes of one task (at least one sub-level / SST is always taken). */
  maxCompactionBytes: number;
}

export const DEFAULT_COMPACTION_CONFIG: CompactionConfig = {
  l0SubLevelCompactTrigger: 4,
  l1TargetBytes: 256 * 1024 * 1024,
  levelSizeRatio: 10,
  targetFileSizeBytes: 32 * 1024 * 1024,
  maxCompactionBytes: 2 * 1024 * 1024 * 1024,
};
