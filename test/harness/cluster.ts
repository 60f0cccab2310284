// Test harness: starts real Tributary processes on loopback and talks to them over the Postgres protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import pg from 'pg';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'packages', 'cli', 'bin', 'tributary.js');
export const PSQL = '/usr/bin/psql';

/** Every child process spawned by the harness, so a crashed test never leaks one. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

export function tmpDir(prefix = 'tributary-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A port that was free a moment ago (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code/signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
  /** Sends `signal`, waits up to `graceMs` for exit, then SIGKILLs. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill9(): Promise<void>;
}

export function spawnProc(name: string, args: string[], opts: { env?: Record<string, string>; logDir: string; execArgv?: string[] }): Proc {
  const logFile = join(opts.logDir, `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), ...args], {
    cwd: ROOT,
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  live.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      res({ code, signal });
    });
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const proc: Proc = {
    name,
    child,
    logFile,
    exited,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
      if (isRunning()) {
        child.kill(signal);
        const t = setTimeout(() => { if (isRunning()) child.kill('SIGKILL'); }, graceMs);
        const r = await exited;
        clearTimeout(t);
        return r;
      }
      return exited;
    },
    async kill9() {
      if (isRunning()) child.kill('SIGKILL');
      await exited;
    },
  };
  return proc;
}

/** Prints the tail of each process's log (call when a test fails). */
export function dumpLogs(procs: Proc[], maxChars = 8000): void {
  for (const p of procs) {
    const l = p.log();
    process.stderr.write(`\n----- log of ${p.name} (${p.logFile}) -----\n${l.slice(-maxChars)}\n`);
  }
}

/** Runs fn; on failure prints the logs of the given processes and rethrows. */
export async function withLogs<T>(procs: () => Proc[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    dumpLogs(procs());
    throw e;
  }
}

/** A pg client whose type parsers return every value as the raw text PostgreSQL sent. */
export const textTypes = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

export async function connect(port: number, opts: { user?: string; database?: string } = {}): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: opts.user ?? 'root', database: opts.database ?? 'dev', types: textTypes, connectionTimeoutMillis: 5000 });
  c.on('error', () => { /* surfaced through the failing query instead */ });
  await c.connect();
  return c;
}

/** Waits until `select 1` succeeds on the pg port. Fails early if `proc` exits. */
export async function waitForPg(port: number, timeoutMs = 30_000, proc?: Proc): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let dead = false;
  proc?.exited.then(() => { dead = true; });
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${proc!.name} exited before its pg port ${port} became ready\n${proc!.log().slice(-4000)}`);
    try {
      const c = await connect(port);
      try {
        await c.query('select 1');
        return;
      } finally {
        await c.end().catch(() => {});
      }
    } catch (e) {
      last = e;
      await sleep(200);
    }
  }
  throw new Error(`pg port ${port} not ready after ${timeoutMs} ms: ${String(last)}`);
}

export async function waitForTcp(port: number, timeoutMs = 20_000, proc?: Proc): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${proc.name} exited before listening on ${port}\n${proc.log().slice(-4000)}`);
    }
    const ok = await new Promise<boolean>((res) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); res(true); });
      s.once('error', () => res(false));
    });
    if (ok) return;
    await sleep(150);
  }
  throw new Error(`port ${port} not listening after ${timeoutMs} ms`);
}

export interface Playground {
  port: number;
  dataDir: string;
  proc: Proc;
  procs: Proc[];
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill9(): Promise<void>;
}

export async function startPlayground(opts: { dataDir?: string; stateStore?: string; env?: Record<string, string>; port?: number; extraArgs?: string[] } = {}): Promise<Playground> {
  const dataDir = opts.dataDir ?? tmpDir('tributary-pg-');
  const port = opts.port ?? (await freePort());
  const args = [CLI, 'playground', '--data-dir', dataDir, '--port', String(port), '--meta-listen', '127.0.0.1:0', '--dashboard-listen', 'off'];
  if (opts.stateStore) args.push('--state-store', opts.stateStore);
  if (opts.extraArgs) args.push(...opts.extraArgs);
  const proc = spawnProc('playground', args, { env: opts.env, logDir: tmpDir('tributary-log-') });
  try {
    await waitForPg(port, 40_000, proc);
  } catch (e) {
    await proc.kill9();
    throw e;
  }
  return { port, dataDir, proc, procs: [proc], stop: (s = 'SIGTERM') => proc.stop(s), kill9: () => proc.kill9() };
}

export interface Cluster {
  pgPort: number;
  metaPort: number;
  meta: Proc;
  computes: Proc[];
  frontend: Proc;
  procs: Proc[];
  dataDir: string;
  stop(): Promise<void>;
  /**
   * Starts one more compute node on this cluster's meta (at `port`, so a restart can come back at
   * the same address), tracked in `procs`; resolves once it listens.
   */
  addCompute(opts: { name: string; port?: number; env?: Record<string, string> }): Promise<{ proc: Proc; port: number; address: string }>;
  /** Starts one more frontend on this cluster's meta, tracked in `procs`; resolves once it accepts connections. */
  addFrontend(opts: { name: string; env?: Record<string, string> }): Promise<{ proc: Proc; port: number }>;
}

export async function startCluster(opts: { computeCount?: number; dataDir?: string; env?: Record<string, string> } = {}): Promise<Cluster> {
  const n = opts.computeCount ?? 2;
  const dataDir = opts.dataDir ?? tmpDir('tributary-cluster-');
  const logDir = tmpDir('tributary-log-');
  const metaPort = await freePort();
  const procs: Proc[] = [];
  const stopAll = async () => {
    // frontend first, then computes, then meta
    for (const p of [...procs].reverse()) await p.stop('SIGTERM', 5000);
  };
  try {
    const meta = spawnProc('meta', [CLI, 'meta', '--listen', `127.0.0.1:${metaPort}`, '--data-dir', dataDir], { env: opts.env, logDir });
    procs.push(meta);
    await waitForTcp(metaPort, 20_000, meta);
    const computes: Proc[] = [];
    for (let i = 0; i < n; i++) {
      const cport = await freePort();
      const c = spawnProc(`compute${i}`, [CLI, 'compute', '--meta', `127.0.0.1:${metaPort}`, '--listen', `127.0.0.1:${cport}`], { env: opts.env, logDir });
      procs.push(c);
      computes.push(c);
      await waitForTcp(cport, 20_000, c);
    }
    const pgPort = await freePort();
    const frontend = spawnProc('frontend', [CLI, 'frontend', '--meta', `127.0.0.1:${metaPort}`, '--port', String(pgPort)], { env: opts.env, logDir });
    procs.push(frontend);
    await waitForPg(pgPort, 40_000, frontend);
    const addCompute: Cluster['addCompute'] = async ({ name, port, env }) => {
      const p = port ?? await freePort();
      const proc = spawnProc(name, [CLI, 'compute', '--meta', `127.0.0.1:${metaPort}`, '--listen', `127.0.0.1:${p}`], { env: { ...opts.env, ...env }, logDir });
      procs.push(proc);
      await waitForTcp(p, 30_000, proc);
      return { proc, port: p, address: `127.0.0.1:${p}` };
    };
    const addFrontend: Cluster['addFrontend'] = async ({ name, env }) => {
      const p = await freePort();
      const proc = spawnProc(name, [CLI, 'frontend', '--meta', `127.0.0.1:${metaPort}`, '--port', String(p)], { env: { ...opts.env, ...env }, logDir });
      procs.push(proc);
      await waitForPg(p, 40_000, proc);
      return { proc, port: p };
    };
    return { pgPort, metaPort, meta, computes, frontend, procs, dataDir, stop: stopAll, addCompute, addFrontend };
  } catch (e) {
    dumpLogs(procs);
    for (const p of procs) await p.kill9();
    throw e;
  }
}

export interface PsqlResult { stdout: string; stderr: string; code: number | null }

/**
 * Runs the real psql. `sql` is passed with -c (string) or as several -c (array);
 * `stdin` feeds a script instead. `aligned: true` drops -A -t for format checks.
 */
export function psql(port: number, sql: string | string[] | null, opts: { aligned?: boolean; onErrorStop?: boolean; stdin?: string; extraArgs?: string[]; timeoutMs?: number } = {}): Promise<PsqlResult> {
  const args = ['-X'];
  if (!opts.aligned) args.push('-A', '-t');
  args.push('-h', '127.0.0.1', '-p', String(port), '-U', 'root', '-d', 'dev');
  if (opts.onErrorStop !== false) args.push('-v', 'ON_ERROR_STOP=1');
  if (opts.extraArgs) args.push(...opts.extraArgs);
  if (sql !== null) for (const s of Array.isArray(sql) ? sql : [sql]) args.push('-c', s);
  return new Promise((res, rej) => {
    const child = spawn(PSQL, args, { env: { ...process.env, PGCONNECT_TIMEOUT: '5' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', rej);
    child.on('close', (code) => { clearTimeout(t); res({ stdout, stderr, code }); });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** psql in the default aligned format (with headers and row counts). */
export function psqlAligned(port: number, sql: string | string[] | null, opts: { onErrorStop?: boolean; stdin?: string; extraArgs?: string[] } = {}): Promise<PsqlResult> {
  return psql(port, sql, { ...opts, aligned: true });
}

/** Runs a query and returns rows as arrays of text (null stays null). */
export async function rows(c: pg.Client, sql: string): Promise<(string | null)[][]> {
  const r = await c.query({ text: sql, rowMode: 'array', types: textTypes });
  return r.rows as (string | null)[][];
}
