import { DEFAULT_COMPACTION_CONFIG, type CompactionConfig } from '@tributary/storage/compactor';

/** Meta-side Hummock settings. Every one is also an environment variable (name in brackets). */
export interface HummockConfig {
  compaction: CompactionConfig;
  /** Run compaction in meta at all [TRIBUTARY_COMPACTION_ENABLED, default true]. */
  compactionEnabled: boolean;
  /**
   * Floor under the pinned epochs: the safe epoch never passes the committed epoch of this long
   * ago, which covers readers meta has no pin report from yet (right after a meta restart)
   * [TRIBUTARY_SAFE_EPOCH_GRACE_MS, default 10 000].
   */
  safeEpochGraceMs: number;
  /** An unreferenced SST object is deleted once seen unreferenced this long [TRIBUTARY_VACUUM_GRACE_MS, default 300 000]. */
  vacuumGraceMs: number;
  /** Vacuum period [TRIBUTARY_VACUUM_INTERVAL_MS, default 30 000]. */
  vacuumIntervalMs: number;
  /** Wait after a failed compaction task before picking again [TRIBUTARY_COMPACTION_RETRY_MS, default 30 000]. */
  compactionRetryMs: number;
}

export type HummockConfigOverrides = Partial<Omit<HummockConfig, 'compaction'>> & { compaction?: Partial<CompactionConfig> };

/** Defaults overridden by `TRIBUTARY_*` environment variables, then by `overrides`. */
export function hummockConfig(overrides: HummockConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): HummockConfig {
  const num = (name: string, dflt: number): number => {
    const raw = env[`TRIBUTARY_${name}`];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`TRIBUTARY_${name} must be a non-negative number, got "${raw}"`);
    return n;
  };
  const c = DEFAULT_COMPACTION_CONFIG;
  return {
    compactionEnabled: env.TRIBUTARY_COMPACTION_ENABLED !== 'false',
    safeEpochGraceMs: num('SAFE_EPOCH_GRACE_MS', 10_000),
    vacuumGraceMs: num('VACUUM_GRACE_MS', 300_000),
    vacuumIntervalMs: num('VACUUM_INTERVAL_MS', 30_000),
    compactionRetryMs: num('COMPACTION_RETRY_MS', 30_000),
    ...overrides,
    compaction: {
      l0SubLevelCompactTrigger: num('COMPACTION_L0_TRIGGER', c.l0SubLevelCompactTrigger),
      l1TargetBytes: num('COMPACTION_L1_TARGET_BYTES', c.l1TargetBytes),
      levelSizeRatio: num('COMPACTION_LEVEL_SIZE_RATIO', c.levelSizeRatio),
      targetFileSizeBytes: num('COMPACTION_TARGET_FILE_BYTES', c.targetFileSizeBytes),
      maxCompactionBytes: num('COMPACTION_MAX_BYTES', c.maxCompactionBytes),
      ...overrides.compaction,
    },
  };
}
