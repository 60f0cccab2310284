// Runs every test/slt/*.slt file against a playground and then against a multi-process cluster.
import { describe, it, before, after } from 'node:test';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlayground, startCluster, dumpLogs, type Playground, type Cluster } from '../harness/cluster.ts';
import { runSltFile } from './runner.ts';

const dir = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.slt')).sort();

describe('slt on playground', { timeout: 600_000 }, () => {
  let pg: Playground | undefined;
  before(async () => { pg = await startPlayground(); });
  after(async () => { await pg?.stop(); });
  for (const f of files) {
    it(f, async () => {
      try {
        await runSltFile(pg!.port, join(dir, f));
      } catch (e) {
        dumpLogs(pg!.procs);
        throw e;
      }
    });
  }
});

describe('slt on cluster (meta + 2 compute + frontend)', { timeout: 600_000 }, () => {
  let cl: Cluster | undefined;
  before(async () => { cl = await startCluster({ computeCount: 2 }); });
  after(async () => { await cl?.stop(); });
  for (const f of files) {
    it(f, async () => {
      try {
        await runSltFile(cl!.pgPort, join(dir, f));
      } catch (e) {
        dumpLogs(cl!.procs);
        throw e;
      }
    });
  }
});
