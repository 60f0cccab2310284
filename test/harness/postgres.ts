// A throwaway PostgreSQL server for tests: Debian's postgresql-15, run as the `postgres` user
// (the server refuses root), trust auth, its own data directory and loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForTcp } from './cluster.ts';

const BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((d) => existsSync(join(d, 'initdb')));

export interface Postgres {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Null when no PostgreSQL server is installed (callers skip). */
export function postgresAvailable(): boolean {
  return BIN !== undefined && spawnSync('id', ['postgres']).status === 0;
}

export async function startPostgres(): Promise<Postgres> {
  if (!BIN) throw new Error('PostgreSQL server binaries not found (apt-get install -y postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'tributary-pgdata-'));
  const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString());
  const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString());
  chownSync(dir, uid, gid);
  const init = spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, 'initdb'), '-A', 'trust', '-U', 'postgres', '-D', join(dir, 'data')], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn('runuser', ['-u', 'postgres', '--', join(BIN, 'postgres'), '-D', join(dir, 'data'), '-p', String(port), '-h', '127.0.0.1', '-k', dir], { stdio: 'ignore' });
  await waitForTcp(port, 30_000);
  await new Promise((r) => setTimeout(r, 300));
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      // runuser does not forward signals: stop the postmaster itself (fast shutdown).
      const pidFile = join(dir, 'data', 'postmaster.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      child.kill('SIGKILL');
    },
  };
}
