import { DbError, SqlState, unaryHandler, type grpc } from '@tributary/common';
import { versionToJson, type HummockVersion, type SstInfo } from '@tributary/storage/version';
import type { MetaNodeContext } from './meta-context.ts';

/** One row of `ctl hummock sst list`. */
export interface SstRow {
  id: number;
  level: number;
  subLevel: number | null;
  objectPath: string;
  fileSize: number;
  keyCount: number;
  minEpoch: string;
  maxEpoch: string;
  tableIds: number[];
}

/** Every SST of a version with its place: L0 sub-levels newest first, then L1..L6. */
export function sstRows(v: HummockVersion): SstRow[] {
  const row = (s: SstInfo, level: number, subLevel: number | null): SstRow => ({
    id: s.id, level, subLevel, objectPath: s.objectPath, fileSize: s.fileSize, keyCount: s.keyCount, minEpoch: s.minEpoch, maxEpoch: s.maxEpoch, tableIds: s.tableIds,
  });
  const rows: SstRow[] = [];
  for (let i = v.l0.length - 1; i >= 0; i--) rows.push(...v.l0[i].ssts.map((s) => row(s, 0, v.l0[i].id)));
  v.levels.forEach((ssts, i) => rows.push(...ssts.map((s) => row(s, i + 1, null))));
  return rows;
}

/** gRPC handler of MetaService.HummockCtl (`tributary ctl hummock ...`). */
export function hummockServiceHandlers(ctx: MetaNodeContext): grpc.UntypedServiceImplementation {
  return {
    HummockCtl: unaryHandler(async (req: { command: string; json: string }) => {
      const bg = ctx.hummock.background;
      switch (req.command) {
        case 'version':
          return { json: versionToJson(ctx.hummock.version) };
        case 'sst-list':
          return { json: JSON.stringify(sstRows(ctx.hummock.version)) };
        case 'compact': {
          if (!bg) throw new DbError(SqlState.ObjectNotInPrerequisiteState, 'compaction is not running on this meta node');
          const result = await bg.compaction.compactNow();
          return { json: JSON.stringify({ result, versionId: ctx.hummock.version.id, recent: bg.compaction.recent.slice(-10) }) };
        }
        case 'pins': {
          const h = ctx.hummock;
          return {
            json: JSON.stringify({
              versionId: h.version.id,
              committedEpoch: h.committedEpoch.toString(),
              safeEpoch: h.safeEpoch(Date.now(), bg?.config.safeEpochGraceMs ?? 0).toString(),
              minPinnedVersionId: h.minPinnedVersionId(),
              minPinnedEpoch: h.minPinnedEpoch().toString(),
              workers: h.pinnedWorkers(),
            }),
          };
        }
        case 'vacuum': {
          if (!bg) throw new DbError(SqlState.ObjectNotInPrerequisiteState, 'vacuum is not running on this meta node');
          return { json: JSON.stringify(await bg.vacuum.runOnce()) };
        }
        default:
          throw new DbError(SqlState.InvalidParameterValue, `unknown hummock command "${req.command}"`, { hint: 'expected version, sst-list, compact, vacuum or pins' });
      }
    }),
  };
}
