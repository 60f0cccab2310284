import type { ActorDesc, ActorOutput, DispatcherDesc, FragmentEdge, StreamNode } from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';
import { pad } from '../catalog/catalog-manager.ts';
import type { FragmentInfo, StreamJob } from './stream-job.ts';
import { planMoves, type ActorMove } from './rebalance-plan.ts';

/** A compute worker as the scheduler sees it. */
export interface PlacementWorker {
  workerId: number;
  address: string;
  parallelism: number;
}

/**
 * Owns the streaming jobs (durable) and the placement of their actors on workers (in memory,
 * recomputed at every recovery), and derives what each compute node must build: actor
 * descriptions with their upstreams and dispatchers.
 */
export class StreamManager {
  private readonly jobs = new Map<number, StreamJob>();
  private readonly fragments = new Map<number, { job: StreamJob; fragment: FragmentInfo }>();
  /** actorId -> worker. */
  private readonly placement = new Map<number, PlacementWorker>();

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    for (const [, json] of await this.store.list(CF.jobs)) this.applyPut(JSON.parse(json) as StreamJob);
  }

  allJobs(): StreamJob[] {
    return [...this.jobs.values()];
  }

  job(jobId: number): StreamJob | undefined {
    return this.jobs.get(jobId);
  }

  fragment(fragmentId: number): FragmentInfo | undefined {
    return this.fragments.get(fragmentId)?.fragment;
  }

  putOp(job: StreamJob): MetaStoreOp {
    return { kind: 'put', cf: CF.jobs, key: pad(job.jobId), value: JSON.stringify(job) };
  }

  deleteOp(jobId: number): MetaStoreOp {
    return { kind: 'delete', cf: CF.jobs, key: pad(jobId) };
  }

  applyPut(job: StreamJob): void {
    this.jobs.set(job.jobId, job);
    for (const f of job.fragments) this.fragments.set(f.fragmentId, { job, fragment: f });
  }

  applyDelete(jobId: number): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    for (const f of job.fragments) {
      this.fragments.delete(f.fragmentId);
      for (const a of f.actors) this.placement.delete(a.actorId);
    }
    this.jobs.delete(jobId);
  }

  /** Forgets where a job's actors run (they were stopped), keeping the job itself. */
  unplaceJob(jobId: number): void {
    for (const f of this.jobs.get(jobId)?.fragments ?? []) for (const a of f.actors) this.placement.delete(a.actorId);
  }

  /** Forgets where these actors run (they stopped), e.g. actors a rebalance moved away. */
  unplace(actorIds: number[]): void {
    for (const id of actorIds) this.placement.delete(id);
  }

  /**
   * Whether a rebalance may move a fragment's actors online: hash-distributed, fed only by merges
   * (no dml/source: frontends and split readers address those actors; no tableScan: its backfill
   * reads its upstream's uncommitted epochs on the same node), and only executors of
   * MOVABLE_KINDS (e.g. not simple aggregation: it reads its state before its first barrier).
   */
  isMovable(fragment: FragmentInfo): boolean {
    return fragment.distribution.kind === 'hash' && onlyMergeLeaves(fragment.node);
  }

  /** Moves that spread the movable fragments of `jobIds` evenly over `workers`. */
  planRebalance(workers: PlacementWorker[], movableJob: (jobId: number) => boolean): ActorMove[] {
    const workerOf = new Map<number, number>();
    for (const [actorId, w] of this.placement) workerOf.set(actorId, w.workerId);
    const fragments = this.allJobs().flatMap((j) =>
      j.fragments.map((f) => ({ fragmentId: f.fragmentId, actorIds: f.actors.map((a) => a.actorId), movable: movableJob(j.jobId) && this.isMovable(f) })),
    );
    return planMoves(fragments, workerOf, workers.map((w) => w.workerId));
  }

  /**
   * Applies `moves` in memory: each moved actor is replaced (same index, same vnodes) by a new
   * actor `newActorIds[i]` placed on the target worker. Returns the jobs before and after (to
   * persist or to restore) and the new actors.
   */
  applyMoves(moves: ActorMove[], newActorIds: number[], workers: PlacementWorker[]): { before: StreamJob[]; after: StreamJob[]; started: number[] } {
    const byId = new Map(workers.map((w) => [w.workerId, w]));
    const changed = new Map<number, StreamJob>();
    const started: number[] = [];
    moves.forEach((m, i) => {
      const { job } = this.fragments.get(m.fragmentId)!;
      let next = changed.get(job.jobId);
      if (!next) changed.set(job.jobId, (next = structuredClone(job)));
      const fragment = next.fragments.find((f) => f.fragmentId === m.fragmentId)!;
      const old = fragment.actors[m.actorIndex];
      if (old.actorId !== m.actorId) throw new Error(`rebalance: actor ${m.actorId} is no longer actor ${m.actorIndex} of fragment ${m.fragmentId}`);
      fragment.actors[m.actorIndex] = { actorId: newActorIds[i], vnodes: old.vnodes };
      this.placement.set(newActorIds[i], byId.get(m.toWorker)!);
      started.push(newActorIds[i]);
    });
    const before = [...changed.keys()].map((id) => this.jobs.get(id)!);
    const after = [...changed.values()];
    for (const job of after) this.applyPut(job);
    return { before, after, started };
  }

  /** Undoes `applyMoves` (the rebalance failed before it committed). */
  revertMoves(applied: { before: StreamJob[]; started: number[] }): void {
    for (const job of applied.before) this.applyPut(job);
    this.unplace(applied.started);
  }

  /** The live workers a full recovery would give actors to (placement is left unchanged). */
  workersUsedByFullPlacement(workers: PlacementWorker[]): Set<number> {
    const saved = new Map(this.placement);
    this.placeAll(workers);
    const used = new Set([...this.placement.values()].map((w) => w.workerId));
    this.placement.clear();
    for (const [k, v] of saved) this.placement.set(k, v);
    return used;
  }

  /** Every placed actor, for SHOW ACTORS and the dashboard. */
  actorPlacements(): Array<{ actorId: number; fragmentId: number; jobId: number; workerId: number; address: string; vnodeCount: number }> {
    const out: Array<{ actorId: number; fragmentId: number; jobId: number; workerId: number; address: string; vnodeCount: number }> = [];
    for (const job of this.jobs.values()) {
      for (const f of job.fragments) {
        for (const a of f.actors) {
          const w = this.placement.get(a.actorId);
          if (w) out.push({ actorId: a.actorId, fragmentId: f.fragmentId, jobId: job.jobId, workerId: w.workerId, address: w.address, vnodeCount: a.vnodes.length });
        }
      }
    }
    return out.sort((a, b) => a.actorId - b.actorId);
  }

  /** Actor descriptions of every job, by actor id. */
  actorDescsById(): Map<number, ActorDesc> {
    const out = new Map<number, ActorDesc>();
    for (const list of this.actorDescs().values()) for (const d of list) out.set(d.actorId, d);
    return out;
  }

  /** Every edge of every job. */
  private allEdges(): FragmentEdge[] {
    return this.allJobs().flatMap((j) => j.edges);
  }

  /** Places every actor of every job on `workers` (full recovery). */
  placeAll(workers: PlacementWorker[]): void {
    this.placement.clear();
    for (const job of this.jobs.values()) this.placeJob(job, workers);
  }

  /**
   * Places a job's actors: a no-shuffle fragment follows its upstream actor by actor, others are
   * spread round-robin over the workers' parallelism slots.
   */
  placeJob(job: StreamJob, workers: PlacementWorker[]): void {
    const slots: PlacementWorker[] = [];
    const maxPar = Math.max(...workers.map((w) => w.parallelism));
    for (let s = 0; s < maxPar; s++) for (const w of workers) if (s < w.parallelism) slots.push(w);
    for (const fragment of job.fragments) {
      const upstream = this.noShuffleUpstream(fragment.fragmentId);
      fragment.actors.forEach((actor, i) => {
        const worker = upstream
          ? this.placement.get(upstream.actors[i].actorId)!
          : slots[(i + fragment.fragmentId) % slots.length];
        this.placement.set(actor.actorId, worker);
      });
    }
  }

  private noShuffleUpstream(fragmentId: number): FragmentInfo | undefined {
    const edge = this.allEdges().find((e) => e.downstreamFragmentId === fragmentId && e.dist.kind === 'noShuffle');
    return edge ? this.fragment(edge.upstreamFragmentId) : undefined;
  }

  workerOf(actorId: number): PlacementWorker | undefined {
    return this.placement.get(actorId);
  }

  /** Actor ids placed on each worker. */
  actorsByWorker(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [actorId, w] of this.placement) {
      const list = out.get(w.workerId) ?? [];
      list.push(actorId);
      out.set(w.workerId, list);
    }
    return out;
  }

  private output(actorId: number): ActorOutput {
    const w = this.placement.get(actorId);
    if (!w) throw new Error(`actor ${actorId} is not placed`);
    return { actorId, address: w.address };
  }

  /** The dispatcher an upstream actor (index `i` of its fragment) uses for `edge`. */
  dispatcherFor(edge: FragmentEdge, upstreamIndex: number): DispatcherDesc {
    const down = this.fragment(edge.downstreamFragmentId)!;
    const fid = edge.downstreamFragmentId;
    if (edge.dist.kind === 'noShuffle') return { kind: 'noShuffle', downstreamFragmentId: fid, outputs: [this.output(down.actors[upstreamIndex].actorId)] };
    if (edge.dist.kind === 'single') return { kind: 'simple', downstreamFragmentId: fid, outputs: [this.output(down.actors[0].actorId)] };
    if (edge.dist.kind === 'broadcast') return { kind: 'broadcast', downstreamFragmentId: fid, outputs: down.actors.map((a) => this.output(a.actorId)) };
    const vnodeMap = new Array<number>(256).fill(0);
    down.actors.forEach((a, idx) => a.vnodes.forEach((v) => (vnodeMap[v] = idx)));
    return {
      kind: 'hash',
      downstreamFragmentId: fid,
      keys: edge.dist.keys,
      outputs: down.actors.map((a) => this.output(a.actorId)),
      vnodeMap,
    };
  }

  /** Upstream actors feeding fragment `fragmentId`'s merge on actor index `i`, per upstream fragment. */
  private upstreamsOf(fragmentId: number, i: number): Record<number, ActorOutput[]> {
    const out: Record<number, ActorOutput[]> = {};
    for (const e of this.allEdges()) {
      if (e.downstreamFragmentId !== fragmentId) continue;
      const up = this.fragment(e.upstreamFragmentId)!;
      out[e.upstreamFragmentId] =
        e.dist.kind === 'noShuffle' ? [this.output(up.actors[i].actorId)] : up.actors.map((a) => this.output(a.actorId));
    }
    return out;
  }

  /** Actor descriptions for `jobIds` (all jobs if omitted), grouped by worker. */
  actorDescs(jobIds?: number[]): Map<number, ActorDesc[]> {
    const out = new Map<number, ActorDesc[]>();
    const edges = this.allEdges();
    const jobs = jobIds ? jobIds.map((id) => this.jobs.get(id)!) : this.allJobs();
    for (const job of jobs) {
      for (const f of job.fragments) {
        const downstreamEdges = edges.filter((e) => e.upstreamFragmentId === f.fragmentId && this.isLive(e));
        f.actors.forEach((a, i) => {
          const w = this.placement.get(a.actorId)!;
          const desc: ActorDesc = {
            actorId: a.actorId,
            fragmentId: f.fragmentId,
            jobId: job.jobId,
            actorIndex: i,
            fragmentParallelism: f.actors.length,
            node: f.node,
            vnodes: a.vnodes,
            upstreams: this.upstreamsOf(f.fragmentId, i),
            dispatchers: downstreamEdges.map((e) => this.dispatcherFor(e, i)),
          };
          const list = out.get(w.workerId) ?? [];
          list.push(desc);
          out.set(w.workerId, list);
        });
      }
    }
    return out;
  }

  /** An edge whose downstream fragment is known (its job exists). */
  private isLive(e: FragmentEdge): boolean {
    return this.fragments.has(e.downstreamFragmentId) && this.fragments.has(e.upstreamFragmentId);
  }

  /** For a new job: dispatchers existing upstream actors must add (the `add` mutation). */
  addMutationFor(job: StreamJob): Record<number, DispatcherDesc[]> {
    const adds: Record<number, DispatcherDesc[]> = {};
    const own = new Set(job.fragments.map((f) => f.fragmentId));
    for (const e of job.edges) {
      if (own.has(e.upstreamFragmentId)) continue;
      const up = this.fragment(e.upstreamFragmentId)!;
      up.actors.forEach((a, i) => {
        (adds[a.actorId] ??= []).push(this.dispatcherFor(e, i));
      });
    }
    return adds;
  }

  /** Placement of each relation's DML fragment, for frontends routing writes. */
  dmlPlacements(): Record<number, Array<{ actorId: number; vnodes: number[]; address: string }>> {
    const out: Record<number, Array<{ actorId: number; vnodes: number[]; address: string }>> = {};
    for (const job of this.jobs.values()) {
      const f = job.fragments.find((fr) => hasDml(fr.node));
      if (!f) continue;
      out[job.jobId] = f.actors.flatMap((a) => {
        const w = this.placement.get(a.actorId);
        return w ? [{ actorId: a.actorId, vnodes: a.vnodes, address: w.address }] : [];
      });
    }
    return out;
  }
}

/**
 * Executors known to read no state before forwarding their first barrier (what a moved actor
 * needs). An allow-list: a new executor stays pinned until it is checked and added here.
 */
const MOVABLE_KINDS: ReadonlySet<StreamNode['kind']> = new Set(['merge', 'project', 'filter', 'hashAgg', 'hashJoin', 'union', 'topN', 'timeWindow', 'materialize']);

/** True when every leaf of the tree is a merge and every executor is in MOVABLE_KINDS. */
function onlyMergeLeaves(node: StreamNode): boolean {
  if (!MOVABLE_KINDS.has(node.kind)) return false;
  if (node.kind === 'merge') return true;
  if (node.kind === 'hashJoin') return onlyMergeLeaves(node.left) && onlyMergeLeaves(node.right);
  if (node.kind === 'union') return node.inputs.every(onlyMergeLeaves);
  return 'input' in node ? onlyMergeLeaves(node.input) : false;
}

export function hasDml(node: StreamNode): boolean {
  if (node.kind === 'dml' || node.kind === 'source') return true;
  if (node.kind === 'hashJoin') return hasDml(node.left) || hasDml(node.right);
  if (node.kind === 'union') return node.inputs.some(hasDml);
  return 'input' in node ? hasDml(node.input) : false;
}
