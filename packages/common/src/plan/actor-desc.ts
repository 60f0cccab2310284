import type { ActorOutput, DispatcherDesc } from '../barrier/barrier.ts';
import type { StreamNode } from './stream-node.ts';

/** What meta sends a compute node to build one actor. */
export interface ActorDesc {
  actorId: number;
  fragmentId: number;
  /** The streaming job (table/MV catalog id) this actor belongs to. */
  jobId: number;
  node: StreamNode;
  /** Position of this actor in its fragment (0-based) and the fragment's actor count. */
  actorIndex: number;
  fragmentParallelism: number;
  /** Vnodes this actor owns (all 256 for a singleton fragment's only actor). */
  vnodes: number[];
  /** For each `merge` leaf (by upstream fragment id): the upstream actors feeding it. */
  upstreams: Record<number, ActorOutput[]>;
  dispatchers: DispatcherDesc[];
}
