import type { Distribution, FragmentEdge, StreamNode } from '@tributary/common';

/** One actor of a fragment: its id and the vnodes it owns. Placement on workers is not durable. */
export interface ActorInfo {
  actorId: number;
  vnodes: number[];
}

export interface FragmentInfo {
  fragmentId: number;
  distribution: Distribution;
  node: StreamNode;
  actors: ActorInfo[];
}

/**
 * A streaming job as meta persists it: the fragments of one table or MV with global ids, and the
 * edges into its fragments (including edges from other jobs' fragments, e.g. an upstream table's
 * materialize fragment into this MV's table scan).
 */
export interface StreamJob {
  jobId: number;
  fragments: FragmentInfo[];
  edges: FragmentEdge[];
}

/** Vnodes of actor `i` of `parallelism` actors: a contiguous range of the 256. */
export function vnodesOfActor(i: number, parallelism: number, vnodeCount = 256): number[] {
  const out: number[] = [];
  for (let v = 0; v < vnodeCount; v++) if (Math.floor((v * parallelism) / vnodeCount) === i) out.push(v);
  return out;
}
