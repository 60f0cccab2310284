import {
  BUILTIN_DATABASE, builtinPublicSchema, createLogger, DbError, DEFAULT_DATABASE, GRPC_CHANNEL_OPTIONS, grpc, MetaServiceClient, PUBLIC_SCHEMA, RpcError, SqlState, unary,
  type DatabaseCatalog, type NamespaceDdl, type SchemaCatalog, type TableCatalog,
} from '@tributary/common';
import { createObjectStore, HummockReader, PinTracker, SstableStore, versionFromJson, type HummockVersion } from '@tributary/storage';

export type { UserInfo, UserDdl } from '../session/user-info.ts';
import type { UserInfo, UserDdl, UsersSnapshot } from '../session/user-info.ts';

/** A pinned committed snapshot; `release` (idempotent) when the query is done with it. */
export interface Snapshot {
  reader: HummockReader;
  epoch: bigint;
  release(): void;
}

/** How long a committing write waits for an unreachable meta before its outcome is reported unknown. */
const FLUSH_UNKNOWN_AFTER_MS = 60_000;

export interface DmlPlacement {
  actorId: number;
  vnodes: number[];
  address: string;
}

/**
 * A frontend's view of the cluster: the catalog, the committed version and where each table's
 * writer actors run, all kept current by meta's notification stream. Reads of SELECT use the
 * committed version directly from the object store.
 */
export class FrontendMeta {
  private readonly log = createLogger('frontend-meta');
  readonly client: any;
  /** Keyed by `nameKey(database, schema, name)`. */
  private relations = new Map<string, TableCatalog>();
  /** Keyed by `nameKey(database, name)`; every database's `public` included. */
  private schemas = new Map<string, SchemaCatalog>([[nameKey(DEFAULT_DATABASE, PUBLIC_SCHEMA), builtinPublicSchema(DEFAULT_DATABASE)]]);
  private databases = new Map<string, DatabaseCatalog>([[DEFAULT_DATABASE, BUILTIN_DATABASE]]);
  private placements: Record<number, DmlPlacement[]> = {};
  private version: HummockVersion | null = null;
  private reader: HummockReader | null = null;
  private sstables: SstableStore | null = null;
  private versionWaiters: Array<{ epoch: bigint; resolve(): void }> = [];
  private catalogWaiters: Array<() => void> = [];
  private closed = false;
  private workerId = 0;
  private users = new Map<string, UserInfo>();
  private usersVersion = -1;
  private subscription?: { cancel(): void };
  /** Versions and epochs running queries read; reported to meta every second. */
  private readonly pins = new PinTracker(undefined, (p) => this.log.warn({ versionId: p.versionId, ageMs: p.ageMs }, 'a query held its snapshot too long; its pin no longer counts'));
  private pinTimer: NodeJS.Timeout | null = null;
  /** Open sessions of this frontend per database (reported to meta with the pins). */
  private readonly sessions = new Map<string, number>();
  private sessionReportQueued = false;

  constructor(metaAddress: string) {
    this.client = new MetaServiceClient(metaAddress, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
  }

  async start(): Promise<void> {
    let reg: { state_store_url: string; worker_id: number } | null = null;
    for (let attempt = 0; !reg; attempt++) {
      try {
        reg = await unary(this.client, 'RegisterWorker', { role: 'frontend', address: '', parallelism: 0 }, 5000);
      } catch (err) {
        if (attempt > 60) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    this.workerId = reg!.worker_id;
    this.sstables = new SstableStore(createObjectStore(reg!.state_store_url), { blockCacheBytes: 64 << 20 });
    await new Promise<void>((resolve) => {
      this.catalogWaiters.push(resolve);
      this.subscribe();
    });
    this.pinTimer = setInterval(() => this.reportPins(), 1000);
    this.pinTimer.unref();
  }

  /**
   * Tells meta the oldest version and epoch a running query reads (or the latest, when idle), and
   * this frontend's open sessions per database.
   */
  private reportPins(): void {
    if (!this.version || this.closed) return;
    const r = this.pins.report({ minVersionId: this.version.id, minEpoch: this.version.maxCommittedEpoch });
    unary(this.client, 'ReportPins', {
      worker_id: this.workerId, min_version_id: r.minVersionId, min_epoch: r.minEpoch.toString(),
      sessions_json: JSON.stringify(Object.fromEntries(this.sessions)),
    }, 5000).catch(() => {});
  }

  /** A client session on `database` opened (+1) or closed (-1); meta hears of it at once. */
  sessionCount(database: string, delta: 1 | -1): void {
    const n = (this.sessions.get(database) ?? 0) + delta;
    if (n > 0) this.sessions.set(database, n);
    else this.sessions.delete(database);
    if (this.sessionReportQueued) return;
    this.sessionReportQueued = true;
    setImmediate(() => {
      this.sessionReportQueued = false;
      this.reportPins();
    });
  }

  /** Sessions connected to `database`: this frontend's (exact) plus the other frontends' last reports. */
  async sessionsOn(database: string): Promise<number> {
    const info = await this.clusterInfo();
    const others = ((info.sessions ?? []) as Array<{ workerId: number; databases: Record<string, number> }>)
      .filter((r) => r.workerId !== this.workerId)
      .reduce((sum, r) => sum + (r.databases[database] ?? 0), 0);
    return others + (this.sessions.get(database) ?? 0);
  }

  private subscribe(): void {
    if (this.closed) return;
    const call = this.client.Subscribe({ worker_id: this.workerId });
    this.subscription = call;
    call.on('data', (n: { kind: string; json: string }) => this.onNotification(n.kind, JSON.parse(n.json)));
    let retried = false;
    const retry = () => {
      // 'error' and 'end' may both fire for one call: resubscribe once per call.
      if (this.closed || retried) return;
      retried = true;
      setTimeout(() => this.subscribe(), 500);
    };
    call.on('error', (e: Error) => {
      if (!this.closed) this.log.warn({ err: e.message }, 'notification stream lost; resubscribing');
      retry();
    });
    call.on('end', retry);
  }

  private onNotification(kind: string, body: any): void {
    if (kind === 'snapshot' || kind === 'catalog') {
      // A meta from before databases held objects sends none: everything is dev's.
      this.relations = new Map((body.relations as TableCatalog[]).map((r) => [nameKey(r.databaseName ??= DEFAULT_DATABASE, r.schemaName, r.name), r]));
      this.placements = body.placements;
      if (body.schemas) this.schemas = new Map((body.schemas as SchemaCatalog[]).map((s) => [nameKey(s.databaseName ??= DEFAULT_DATABASE, s.name), s]));
      if (body.databases) this.databases = new Map((body.databases as DatabaseCatalog[]).map((d) => [d.name, d]));
    }
    if (kind === 'snapshot' || kind === 'version') this.setVersion(versionFromJson(kind === 'snapshot' ? body.version : body));
    if (kind === 'snapshot' && body.users) this.setUsers(body.users);
    if (kind === 'users') this.setUsers(body);
    for (const w of this.catalogWaiters.splice(0)) w();
  }

  private setVersion(v: HummockVersion): void {
    if (this.version && v.id < this.version.id) return;
    this.version = v;
    this.reader = new HummockReader(v, this.sstables!);
    this.versionWaiters = this.versionWaiters.filter((w) => {
      if (v.maxCommittedEpoch >= w.epoch) w.resolve();
      return v.maxCommittedEpoch < w.epoch;
    });
  }

  private setUsers(snapshot: UsersSnapshot): void {
    if (snapshot.version < this.usersVersion) return;
    this.usersVersion = snapshot.version;
    this.users = new Map(snapshot.users.map((u) => [u.name, u]));
  }

  /** A user (see meta's UserManager); undefined when it does not exist. */
  user(name: string): UserInfo | undefined {
    return this.users.get(name);
  }

  allUsers(): UserInfo[] {
    return [...this.users.values()];
  }

  /** CREATE/ALTER/DROP USER, GRANT/REVOKE: applied by meta; this frontend sees the result at once. */
  async userDdl(ddl: UserDdl): Promise<void> {
    this.setUsers(await this.ddl('user', ddl));
  }

  /** The relation `schema.name` of `database` (no search path: see SearchPath). */
  relation(database: string, schema: string, name: string): TableCatalog | undefined {
    return this.relations.get(nameKey(database, schema, name));
  }

  /** Schema `name` of `database` (`public` exists in every database). */
  schema(database: string, name: string): SchemaCatalog | undefined {
    return this.schemas.get(nameKey(database, name));
  }

  /** The schemas of `database`, `public` included. */
  schemasOf(database: string): SchemaCatalog[] {
    return [...this.schemas.values()].filter((s) => s.databaseName === database);
  }

  /** The relations (tables, MVs, sources) of `database`, every schema. */
  relationsOf(database: string): TableCatalog[] {
    return [...this.relations.values()].filter((r) => r.databaseName === database);
  }

  database(name: string): DatabaseCatalog | undefined {
    return this.databases.get(name);
  }

  allDatabases(): DatabaseCatalog[] {
    return [...this.databases.values()];
  }

  /** CREATE/DROP SCHEMA and DATABASE; resolves once this frontend's catalog shows the change. */
  async namespaceDdl(ddl: NamespaceDdl): Promise<void> {
    const done = (): boolean => {
      switch (ddl.op) {
        case 'create_schema': return this.schemas.has(nameKey(ddl.database, ddl.name));
        case 'drop_schema': return ddl.names.every((n) => !this.schemas.has(nameKey(ddl.database, n)));
        case 'create_database': return this.databases.has(ddl.name);
        case 'drop_database': return !this.databases.has(ddl.name);
      }
    };
    await this.ddl('namespace', ddl);
    const deadline = Date.now() + 10_000;
    while (!done() && Date.now() < deadline) await Promise.race([this.nextCatalog(), new Promise((r) => setTimeout(r, 50))]);
  }

  /** Every relation of every database (the per-database views: `relationsOf`). */
  allRelations(): TableCatalog[] {
    return [...this.relations.values()];
  }

  /**
   * The table's writer actors, waiting (up to `timeoutMs`) while the cluster places them — right
   * after a start or during a recovery. Nothing has been sent yet, so waiting is always safe.
   */
  async waitPlacement(tableId: number, timeoutMs = 30_000): Promise<DmlPlacement[]> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.placements[tableId]?.length > 0) && Date.now() < deadline && this.relationById(tableId)) {
      await Promise.race([this.nextCatalog(), new Promise((r) => setTimeout(r, 100))]);
    }
    return this.placementOf(tableId);
  }

  private relationById(id: number): TableCatalog | undefined {
    for (const r of this.relations.values()) if (r.id === id) return r;
    return undefined;
  }

  placementOf(tableId: number): DmlPlacement[] {
    const p = this.placements[tableId];
    if (!p || p.length === 0) throw new DbError(SqlState.ObjectNotInPrerequisiteState, 'the table has no running writer (the cluster may be recovering); retry');
    return p;
  }

  /**
   * The committed snapshot a query reads: one epoch across all relations. The version and epoch
   * stay pinned (compaction keeps the epoch's rows, vacuum keeps the version's objects) until the
   * query calls `release`.
   */
  snapshot(): Snapshot {
    if (!this.reader || !this.version) throw new DbError(SqlState.CannotConnectNow, 'the frontend has no committed version yet');
    const epoch = this.version.maxCommittedEpoch;
    return { reader: this.reader, epoch, release: this.pins.pin(this.version.id, epoch) };
  }

  /** Resolves once this frontend sees a committed version at or above `epoch`. */
  waitVersion(epoch: bigint): Promise<void> {
    if (this.version && this.version.maxCommittedEpoch >= epoch) return Promise.resolve();
    return new Promise((resolve) => this.versionWaiters.push({ epoch, resolve }));
  }

  /** Resolves after the next catalog notification (after DDL). */
  nextCatalog(): Promise<void> {
    return new Promise((resolve) => this.catalogWaiters.push(resolve));
  }

  async ddl(kind: string, body: unknown): Promise<any> {
    const res = await unary<{ kind: string; json: string }, { json: string }>(this.client, 'Ddl', { kind, json: JSON.stringify(body) });
    return JSON.parse(res.json);
  }

  /**
   * Forces a checkpoint and waits until this frontend sees it. With `minEpoch`, fails unless that
   * epoch itself was committed (a recovery may have discarded it: the write was not applied).
   */
  async flush(minEpoch = 0n): Promise<bigint> {
    const res = minEpoch > 0n ? await this.flushUntilKnown(minEpoch) : await unary<object, { committed_epoch: string }>(this.client, 'Flush', { min_epoch: '0' });
    const epoch = BigInt(res.committed_epoch);
    await this.waitVersion(epoch);
    return epoch;
  }

  /**
   * A write's fate must be known before its statement answers. When meta cannot be reached (it
   * died while committing, or restarts), the rows' epoch may or may not have been committed;
   * `Flush(min_epoch)` is idempotent, and a restarted meta knows from its store whether that epoch
   * was committed or discarded, so ask again until it answers. Only after `FLUSH_UNKNOWN_AFTER_MS`
   * without meta does the statement fail with 40003 (statement_completion_unknown).
   */
  private async flushUntilKnown(minEpoch: bigint): Promise<{ committed_epoch: string }> {
    const deadline = Date.now() + FLUSH_UNKNOWN_AFTER_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await unary<object, { committed_epoch: string }>(this.client, 'Flush', { min_epoch: minEpoch.toString() });
      } catch (err) {
        if (!(err instanceof RpcError) || this.closed) throw err;
        if (Date.now() > deadline) {
          throw new DbError(SqlState.StatementCompletionUnknown, `the write may or may not have been applied: meta was unreachable for ${FLUSH_UNKNOWN_AFTER_MS / 1000} s while its checkpoint committed`, { detail: (err as Error).message });
        }
        if (attempt === 0) this.log.warn({ epoch: minEpoch.toString(), err: (err as Error).message }, 'meta unreachable while a write commits; asking again');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async clusterInfo(): Promise<any> {
    const res = await unary<object, { json: string }>(this.client, 'ClusterInfo', {});
    return JSON.parse(res.json);
  }

  close(): void {
    this.closed = true;
    if (this.pinTimer) clearInterval(this.pinTimer);
    this.subscription?.cancel(); // else meta's graceful shutdown waits for this stream
    this.client.close();
  }
}

/** A map key of a database's schema or relation (any character may appear in a name). */
function nameKey(...parts: string[]): string {
  return JSON.stringify(parts);
}
