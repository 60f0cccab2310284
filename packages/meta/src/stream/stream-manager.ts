import type { ActorDesc, ActorOutput, DispatcherDesc, FragmentEdge, StreamNode } from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';
import { pad } from '../catalog/catalog-manager.ts';
import type { FragmentInfo, StreamJob } from './stream-job.ts';

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

export function hasDml(node: StreamNode): boolean {
  if (node.kind === 'dml' || node.kind === 'source') return true;
  if (node.kind === 'hashJoin') return hasDml(node.left) || hasDml(node.right);
  if (node.kind === 'union') return node.inputs.some(hasDml);
  return 'input' in node ? hasDml(node.input) : false;
}
