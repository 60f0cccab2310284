// Test helper: a whole Tributary cluster (meta, one compute node, frontend) in this process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startComputeNode } from '@tributary/compute';
import { startMetaNode } from '@tributary/meta';
import { startFrontendNode, type FrontendNodeOptions } from '../src/index.ts';

export interface TestCluster {
  port: number;
  dataDir: string;
  /** A connected pg client (user root unless given); the caller ends it. */
  client(config?: pg.ClientConfig): Promise<pg.Client>;
  /** Starts another frontend on the same meta (closed with the cluster); returns its port. */
  addFrontend(options: Partial<FrontendNodeOptions>): Promise<number>;
  close(): Promise<void>;
}

export async function startTestCluster(frontend: Partial<FrontendNodeOptions> = {}): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tributary-sql-test-'));
  const meta = await startMetaNode({ listen: '127.0.0.1:0', dataDir, barrierIntervalMs: 200, startupWaitMs: 0 });
  const compute = await startComputeNode({ meta: meta.address, listen: '127.0.0.1:0', parallelism: 2 });
  const fe = await startFrontendNode({ meta: meta.address, host: '127.0.0.1', port: 0, ...frontend });
  const extra: Array<{ close(): Promise<void> }> = [];
  return {
    port: fe.port,
    dataDir,
    async client(config = {}) {
      const c = new pg.Client({ host: '127.0.0.1', port: fe.port, user: 'root', database: 'dev', ...config });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    },
    async addFrontend(options) {
      const node = await startFrontendNode({ meta: meta.address, host: '127.0.0.1', port: 0, ...options });
      extra.push(node);
      return node.port;
    },
    async close() {
      for (const node of extra) await node.close();
      await fe.close();
      await compute.close();
      await meta.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
