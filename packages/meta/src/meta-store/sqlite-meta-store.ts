import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MetaStore, MetaStoreOp } from './meta-store.ts';
import { PostgresMetaStore } from './postgres-meta-store.ts';

/** SQLite meta store (WAL mode, synchronous=FULL: a committed txn survives kill -9 and power loss). */
export class SqliteMetaStore implements MetaStore {
  private readonly db: Database.Database;
  private readonly stmtGet: Database.Statement;
  private readonly stmtList: Database.Statement;
  private readonly stmtPut: Database.Statement;
  private readonly stmtDelete: Database.Statement;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec('CREATE TABLE IF NOT EXISTS kv (cf TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (cf, key))');
    this.stmtGet = this.db.prepare('SELECT value FROM kv WHERE cf = ? AND key = ?');
    this.stmtList = this.db.prepare('SELECT key, value FROM kv WHERE cf = ? ORDER BY key');
    this.stmtPut = this.db.prepare('INSERT INTO kv (cf, key, value) VALUES (?, ?, ?) ON CONFLICT (cf, key) DO UPDATE SET value = excluded.value');
    this.stmtDelete = this.db.prepare('DELETE FROM kv WHERE cf = ? AND key = ?');
  }

  async get(cf: string, key: string): Promise<string | undefined> {
    const row = this.stmtGet.get(cf, key) as { value: string } | undefined;
    return row?.value;
  }

  async list(cf: string): Promise<Array<[string, string]>> {
    return (this.stmtList.all(cf) as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]);
  }

  async txn(ops: MetaStoreOp[]): Promise<void> {
    this.db.transaction(() => {
      for (const op of ops) {
        if (op.kind === 'put') this.stmtPut.run(op.cf, op.key, op.value);
        else this.stmtDelete.run(op.cf, op.key);
      }
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** `sqlite:///abs/path.db`, `postgres://...`, or a plain path (SQLite). */
export function openMetaStore(url: string): MetaStore {
  if (url.startsWith('sqlite://')) return new SqliteMetaStore(url.slice('sqlite://'.length));
  if (url === 'memory' || url === 'sqlite::memory:') return new SqliteMetaStore(':memory:');
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return new PostgresMetaStore(url);
  return new SqliteMetaStore(url);
}
