import { HUMMOCK_USAGE, runHummockCtl, UsageError } from './hummock.ts';

const USAGE = `Usage: tributary ctl <area> <command> [--meta host:port] [--json]

Areas:
  hummock     storage: version, sst list, compact, vacuum

${HUMMOCK_USAGE}`;

/** `tributary ctl ...`: talks to meta over gRPC, prints, and exits with 0, 1 (error) or 2 (usage). */
export async function runCtl(argv: string[]): Promise<number> {
  let meta = process.env.TRIBUTARY_META ?? '127.0.0.1:5690';
  let json = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--meta') meta = argv[++i] ?? meta;
    else if (argv[i].startsWith('--meta=')) meta = argv[i].slice('--meta='.length);
    else if (argv[i] === '--json') json = true;
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log(USAGE);
      return 0;
    } else args.push(argv[i]);
  }
  const [area, ...rest] = args;
  try {
    if (area !== 'hummock') throw new UsageError(area ? `unknown ctl area "${area}"` : 'missing ctl area');
    console.log(await runHummockCtl(rest, meta, json));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`tributary ctl: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`tributary ctl: ${(err as Error).message}`);
    return 1;
  }
}
