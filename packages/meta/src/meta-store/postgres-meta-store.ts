import pg from 'pg';
import type { MetaStore, MetaStoreOp } from './meta-store.ts';

/**
 * PostgreSQL meta store (`postgres://user:pass@host:port/db`): the same column-family KV as the
 * SQLite store, one table, every `txn` one PostgreSQL transaction. For deployments where meta's
 * disk is not durable (containers): meta can be replaced and resume from here.
 */
export class PostgresMetaStore implements MetaStore {
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    this.pool.on('error', () => {}); // idle client errors surface on the next query instead
    this.ready = this.pool
      .query('CREATE TABLE IF NOT EXISTS tributary_meta (cf TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (cf, key))')
      .then(() => undefined);
  }

  async get(cf: string, key: string): Promise<string | undefined> {
    await this.ready;
    const res = await this.pool.query('SELECT value FROM tributary_meta WHERE cf = $1 AND key = $2', [cf, key]);
    return res.rows[0]?.value;
  }

  async list(cf: string): Promise<Array<[string, string]>> {
    await this.ready;
    const res = await this.pool.query('SELECT key, value FROM tributary_meta WHERE cf = $1 ORDER BY key COLLATE "C"', [cf]);
    return res.rows.map((r: { key: string; value: string }) => [r.key, r.value]);
  }

  async txn(ops: MetaStoreOp[]): Promise<void> {
    await this.ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const op of ops) {
        if (op.kind === 'put') {
          await client.query(
            'INSERT INTO tributary_meta (cf, key, value) VALUES ($1, $2, $3) ON CONFLICT (cf, key) DO UPDATE SET value = excluded.value',
            [op.cf, op.key, op.value],
          );
        } else {
          await client.query('DELETE FROM tributary_meta WHERE cf = $1 AND key = $2', [op.cf, op.key]);
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
