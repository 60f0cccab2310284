import {
  CatalogError, createLogger, DEFAULT_DATABASE, ownedStateTables, privilegeKey, SqlState, type StreamFragmentGraph, type StreamNode, type TableCatalog,
} from '@tributary/common';
import type { BarrierManager } from '../barrier/barrier-manager.ts';
import type { HummockManager } from '../hummock/hummock-manager.ts';
import type { CatalogManager } from '../catalog/catalog-manager.ts';
import type { UserManager } from '../catalog/user-manager.ts';
import type { MetaStoreOp } from '../meta-store/meta-store.ts';
import type { IdGenerator } from '../catalog/id-generator.ts';
import type { ClusterManager } from '../cluster/cluster-manager.ts';
import type { ComputeClients } from './compute-clients.ts';
import { vnodesOfActor, type FragmentInfo, type StreamJob } from './stream-job.ts';
import type { StreamManager } from './stream-manager.ts';
import { bindRelationIds, freshStateTables, remapMergeIds } from './assign-ids.ts';

export interface IdGenerators {
  table: IdGenerator;
  fragment: IdGenerator;
  actor: IdGenerator;
}

/** DDL on streaming jobs: create a table/MV (build actors, add them on a barrier), drop (stop them). */
export class JobManager {
  private readonly log = createLogger('ddl');

  constructor(
    private readonly catalog: CatalogManager,
    private readonly streams: StreamManager,
    private readonly cluster: ClusterManager,
    private readonly barriers: BarrierManager,
    private readonly computes: ComputeClients,
    private readonly ids: IdGenerators,
    private readonly notify: () => void,
    /** Records the state tables of dropped jobs, so compaction reclaims their keys. */
    private readonly hummock: Pick<HummockManager, 'dropTablesOps' | 'applyDropTables'>,
    /** Dropped relations' grants go in the same commit; `notify` tells frontends the users changed. */
    private readonly grants: Pick<UserManager, 'dropGrantsOps'> & { notify(): void },
  ) {}

  async create(rel: TableCatalog, graph: StreamFragmentGraph, ifNotExists = false): Promise<TableCatalog> {
    await this.barriers.waitRunning();
    rel = { ...rel, databaseName: rel.databaseName ?? DEFAULT_DATABASE };
    this.catalog.requireSchema(rel.databaseName, rel.schemaName);
    const existing = this.catalog.getByName(rel.databaseName, rel.schemaName, rel.name);
    if (existing && ifNotExists) return existing;
    this.catalog.checkNameFree(rel.databaseName, rel.schemaName, rel.name);
    for (const dep of rel.dependsOn) {
      const upstream = this.catalog.get(dep);
      if (upstream?.state !== 'created') throw new CatalogError(SqlState.UndefinedTable, `relation ${dep} does not exist`);
      if (upstream.databaseName !== rel.databaseName) {
        throw new CatalogError(SqlState.FeatureNotSupported, `cross-database references are not implemented: ${upstream.databaseName}.${upstream.schemaName}.${upstream.name}`);
      }
    }
    const relId = await this.ids.table.nextId();
    const reserved: TableCatalog = { ...rel, id: relId, storage: { ...rel.storage, tableId: relId }, state: 'creating' };
    // Reserved and checked in one synchronous step: a DROP SCHEMA/DATABASE that ran during the
    // await above fails this check; one that starts later sees the relation 'creating' and refuses.
    this.catalog.applyPut(reserved);
    try {
      this.catalog.requireSchema(rel.databaseName, rel.schemaName);
    } catch (err) {
      this.catalog.applyDelete(reserved.id);
      throw err;
    }
    if (rel.kind === 'source') return this.createSource(reserved);
    try {
      const job = await this.buildJob(reserved, graph);
      const root = job.fragments.find((f) => f.node.kind === 'materialize')!;
      const created: TableCatalog = { ...reserved, materializeFragmentId: root.fragmentId, state: 'created' };
      this.catalog.applyPut({ ...created, state: 'creating' });
      // The job is created once every table scan finished its backfill (see BackfillTracker).
      const scanActors = job.fragments.filter((f) => hasTableScan(f.node)).flatMap((f) => f.actors.map((a) => a.actorId));
      const backfill = this.barriers.backfill;
      await this.barriers.run({
        describe: `create ${rel.kind} ${rel.name}`,
        finishAt: 'curr',
        prepare: async () => {
          this.streams.applyPut(job);
          const workers = this.cluster.liveCompute().map((w) => ({ workerId: w.workerId, address: w.address, parallelism: w.parallelism }));
          this.streams.placeJob(job, workers);
          const descs = this.streams.actorDescs([job.jobId]);
          await Promise.all(workers.map((w) => this.computes.buildActors(w.address, descs.get(w.workerId) ?? [])));
        },
        mutation: () => ({ kind: 'add', adds: this.streams.addMutationFor(job) }),
        afterInject: () => backfill.begin(relId, rel.definition, scanActors),
        ready: () => backfill.isDone(relId),
        // A recovery during the backfill rebuilds the job's actors, which resume from their saved
        // positions; the CREATE then just takes longer.
        survivesRecoveries: 3,
        finishOps: () => [this.catalog.putOp(created), this.streams.putOp(job)],
        afterFinish: () => {
          backfill.end(relId);
          this.catalog.applyPut(created);
          this.log.info({ id: relId, name: rel.name, kind: rel.kind }, 'created');
          this.notify();
        },
        abort: () => {
          backfill.end(relId);
          this.streams.applyDelete(job.jobId);
          this.catalog.applyDelete(relId);
        },
      });
      return created;
    } catch (err) {
      if (this.catalog.get(relId)?.state === 'creating') this.catalog.applyDelete(relId);
      throw err;
    }
  }

  /** A source is catalog only: each MV reading it runs its own source executor. */
  private async createSource(reserved: TableCatalog): Promise<TableCatalog> {
    const created: TableCatalog = { ...reserved, state: 'created' };
    try {
      await this.barriers.run({
        describe: `create source ${reserved.name}`,
        finishAt: 'curr',
        prepare: async () => {},
        mutation: () => undefined,
        finishOps: () => [this.catalog.putOp(created)],
        afterFinish: () => {
          this.catalog.applyPut(created);
          this.log.info({ id: reserved.id, name: reserved.name, kind: 'source' }, 'created');
          this.notify();
        },
        abort: () => this.catalog.applyDelete(reserved.id),
      });
      return created;
    } catch (err) {
      if (this.catalog.get(reserved.id)?.state === 'creating') this.catalog.applyDelete(reserved.id);
      throw err;
    }
  }

  private async buildJob(rel: TableCatalog, graph: StreamFragmentGraph): Promise<StreamJob> {
    const g = structuredClone(graph);
    bindRelationIds(g, rel.id, (tid) => this.catalog.get(tid)!.materializeFragmentId);
    const fresh = freshStateTables(g);
    const firstTableId = fresh.length > 0 ? await this.ids.table.nextIds(fresh.length) : 0;
    fresh.forEach((t, i) => { t.tableId = firstTableId + i; });
    const fragBase = await this.ids.fragment.nextIds(g.fragments.length);
    const map = (local: number) => fragBase + local;
    const defaultParallelism = Math.max(1, this.cluster.liveCompute().reduce((s, w) => s + w.parallelism, 0));
    const fragments: FragmentInfo[] = [];
    const edges = g.edges.map((e) => ({ ...e, upstreamFragmentId: map(e.upstreamFragmentId), downstreamFragmentId: map(e.downstreamFragmentId) }));
    for (const f of g.fragments) {
      remapMergeIds(f.node, map);
      let vnodeSets: number[][];
      if (f.noShuffleUpstreamTableId !== undefined) {
        const upFragId = this.catalog.get(f.noShuffleUpstreamTableId)!.materializeFragmentId;
        const up = this.streams.fragment(upFragId)!;
        vnodeSets = up.actors.map((a) => a.vnodes);
        edges.push({ upstreamFragmentId: upFragId, downstreamFragmentId: map(f.fragmentId), dist: { kind: 'noShuffle' } });
      } else if (f.distribution.kind === 'single') {
        vnodeSets = [Array.from({ length: 256 }, (_, v) => v)];
      } else {
        vnodeSets = Array.from({ length: defaultParallelism }, (_, i) => vnodesOfActor(i, defaultParallelism));
      }
      const actorBase = await this.ids.actor.nextIds(vnodeSets.length);
      fragments.push({
        fragmentId: map(f.fragmentId),
        distribution: f.distribution,
        node: f.node,
        actors: vnodeSets.map((vnodes, i) => ({ actorId: actorBase + i, vnodes })),
      });
    }
    return { jobId: rel.id, fragments, edges };
  }

  async drop(kind: 'table' | 'materialized view' | 'source', database: string, schema: string, name: string, ifExists: boolean, cascade: boolean): Promise<void> {
    await this.barriers.waitRunning();
    const rel = this.catalog.getByName(database, schema, name);
    if (!rel || rel.state !== 'created') {
      if (ifExists) return;
      throw new CatalogError(SqlState.UndefinedTable, `${kind} "${name}" does not exist`);
    }
    if (rel.kind !== kind) {
      throw new CatalogError(SqlState.WrongObjectType, `"${name}" is not a ${kind}`, { hint: `Use DROP ${rel.kind.toUpperCase()} to remove a ${rel.kind}.` });
    }
    const victims = this.catalog.cascade(rel.id);
    const dependents = victims.filter((v) => v.id !== rel.id);
    if (dependents.length > 0 && !cascade) {
      throw new CatalogError(SqlState.DependentObjectsStillExist, `cannot drop ${kind} ${name} because other objects depend on it`, {
        detail: dependents.map((d) => `${d.kind} ${d.name} depends on ${kind} ${name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    await this.dropRelations(victims, `drop ${kind} ${name}`);
  }

  /**
   * Stops the actors of `victims` (dependents before what they read) and deletes them from the
   * catalog on one barrier; `extra` adds meta-store ops and in-memory changes to the same commit.
   */
  async dropRelations(victims: TableCatalog[], describe: string, extra?: { ops: MetaStoreOp[]; apply(): void }): Promise<void> {
    const jobIds = victims.map((v) => v.id).filter((id) => this.streams.job(id));
    // Every state table the dropped jobs own (a view's table scan reads its upstream's, not owned).
    const tableIds = [...new Set(jobIds.flatMap((id) => this.streams.job(id)!.fragments.flatMap((f) => ownedStateTables(f.node).map((t) => t.tableId))))];
    // Actor ids are read when the barrier goes out: a rebalance before it may have replaced some.
    const actors = () => jobIds.flatMap((id) => this.streams.job(id)?.fragments.flatMap((f) => f.actors.map((a) => a.actorId)) ?? []);
    let grantsDrop: ReturnType<UserManager['dropGrantsOps']> | null = null;
    await this.barriers.run({
      describe,
      finishAt: 'prev',
      prepare: async () => {},
      mutation: () => ({ kind: 'stop', actors: actors() }),
      finishOps: () => {
        grantsDrop = this.grants.dropGrantsOps(victims.map(privilegeKey));
        return [
          ...victims.flatMap((v) => [this.catalog.deleteOp(v.id), this.streams.deleteOp(v.id)]), ...this.hummock.dropTablesOps(tableIds),
          ...grantsDrop.ops, ...(extra?.ops ?? []),
        ];
      },
      afterFinish: () => {
        this.hummock.applyDropTables(tableIds);
        for (const v of victims) {
          this.streams.applyDelete(v.id);
          this.catalog.applyDelete(v.id);
        }
        extra?.apply();
        if (grantsDrop?.apply()) this.grants.notify();
        this.log.info({ describe, dropped: victims.map((v) => `${v.databaseName}.${v.schemaName}.${v.name}`) }, 'dropped');
        this.notify();
      },
      abort: () => {},
      afterInject: () => {
        for (const id of jobIds) this.streams.unplaceJob(id);
      },
    });
  }
}

/** Whether a fragment's tree holds a table scan (every child is visited, whatever the node kind). */
function hasTableScan(node: StreamNode): boolean {
  if (node.kind === 'tableScan') return true;
  const isNode = (v: unknown): v is StreamNode => typeof v === 'object' && v !== null && 'kind' in v && 'schema' in v;
  return Object.values(node).some((v) => (Array.isArray(v) ? v.some((x) => isNode(x) && hasTableScan(x)) : isNode(v) && hasTableScan(v)));
}
