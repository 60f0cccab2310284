import { GRPC_CHANNEL_OPTIONS, grpc, MetaServiceClient, unary } from '@tributary/common';
import { versionFromJson, type HummockVersion } from '@tributary/storage/version';

/** A row of `sst list` as meta sends it (meta/src/server/hummock-service.ts). */
interface SstRow {
  id: number;
  level: number;
  subLevel: number | null;
  fileSize: number;
  keyCount: number;
  minEpoch: string;
  maxEpoch: string;
  tableIds: number[];
}

export const HUMMOCK_USAGE = `Usage: tributary ctl hummock <command> [--meta host:port] [--json]

Commands:
  version     the current Hummock version: levels, SST counts and sizes, epochs
  sst list    every SST of the current version with its level, size, keys and epochs
  compact     run one compaction task now (even below the triggers) and print its outcome
  vacuum      run one vacuum pass now (deletes unreferenced SSTs past the grace period)
  pins        what each worker still reads (oldest pinned version and epoch) and the safe epoch`;

/** Runs `tributary ctl hummock ...`; returns the text to print. */
export async function runHummockCtl(args: string[], metaAddress: string, json: boolean): Promise<string> {
  const command = args.join('-');
  if (!['version', 'sst-list', 'compact', 'vacuum', 'pins'].includes(command)) throw new UsageError(`unknown hummock command "${args.join(' ')}"`);
  const client = new MetaServiceClient(metaAddress, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
  try {
    const res = await unary<{ command: string; json: string }, { json: string }>(client, 'HummockCtl', { command, json: '{}' }, 10 * 60_000);
    if (json) return JSON.stringify(JSON.parse(res.json), null, 2);
    switch (command) {
      case 'version':
        return formatVersion(versionFromJson(res.json));
      case 'sst-list':
        return formatSsts(JSON.parse(res.json) as SstRow[]);
      case 'pins':
        return formatPins(JSON.parse(res.json) as PinsReply);
      default:
        return JSON.stringify(JSON.parse(res.json), null, 2);
    }
  } finally {
    client.close();
  }
}

export class UsageError extends Error {}

export function formatVersion(v: HummockVersion): string {
  const lines = [`version ${v.id}  max committed epoch ${v.maxCommittedEpoch}  safe epoch ${v.safeEpoch}`];
  const l0 = v.l0.flatMap((sl) => sl.ssts);
  lines.push(`L0  ${String(v.l0.length).padStart(4)} sub-levels ${String(l0.length).padStart(6)} SSTs ${mib(l0)}`);
  v.levels.forEach((ssts, i) => lines.push(`L${i + 1}  ${' '.repeat(15)} ${String(ssts.length).padStart(6)} SSTs ${mib(ssts)}`));
  return lines.join('\n');
}

export function formatSsts(rows: SstRow[]): string {
  const header = ['id', 'level', 'size', 'keys', 'min epoch', 'max epoch', 'tables'];
  const body = rows.map((r) => [
    String(r.id), r.level === 0 ? `L0/${r.subLevel}` : `L${r.level}`, String(r.fileSize), String(r.keyCount), r.minEpoch, r.maxEpoch, r.tableIds.join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [fmt(header), ...body.map(fmt), `(${rows.length} SSTs)`].join('\n');
}

/** Reply of `pins` (meta/src/server/hummock-service.ts). */
interface PinsReply {
  versionId: number;
  committedEpoch: string;
  safeEpoch: string;
  minPinnedVersionId: number;
  minPinnedEpoch: string;
  workers: Array<{ workerId: number; minVersionId: number; minEpoch: string }>;
}

export function formatPins(p: PinsReply): string {
  const lines = [
    `version ${p.versionId}  committed epoch ${p.committedEpoch}  safe epoch for compaction ${p.safeEpoch}`,
    `oldest pinned version ${p.minPinnedVersionId}  oldest pinned epoch ${p.minPinnedEpoch}`,
  ];
  for (const w of p.workers) lines.push(`worker ${String(w.workerId).padStart(4)}  version ${w.minVersionId}  epoch ${w.minEpoch}`);
  return lines.join('\n');
}

function mib(ssts: { fileSize: number }[]): string {
  return `${(ssts.reduce((n, s) => n + s.fileSize, 0) / 1048576).toFixed(2).padStart(10)} MiB`;
}
