import type { Distribution, StreamNode } from './stream-node.ts';

/**
 * A streaming job cut into fragments at exchanges. Each fragment runs as `parallelism` actors
 * (1 for `single`); a `hash` fragment's actors own disjoint vnode ranges.
 */
export interface StreamFragment {
  /** Local id inside the graph (0..n-1) until meta assigns global ids. */
  fragmentId: number;
  /** How rows are spread over this fragment's actors. */
  distribution: Distribution;
  /** Root of the fragment's executor tree. Leaves are dml | tableScan | merge. */
  node: StreamNode;
  /** Set for the fragment that must align 1:1 with an existing relation's materialize fragment. */
  noShuffleUpstreamTableId?: number;
}

export interface FragmentEdge {
  upstreamFragmentId: number;
  downstreamFragmentId: number;
  /** Downstream's distribution: hash by `keys` (in upstream output indices), single or noShuffle. */
  dist: Distribution;
}

export interface StreamFragmentGraph {
  fragments: StreamFragment[];
  edges: FragmentEdge[];
}
