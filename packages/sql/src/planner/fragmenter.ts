import type { Distribution, FragmentEdge, StreamFragment, StreamFragmentGraph, StreamNode } from '@tributary/common';

/**
 * Cuts a planner stream tree into fragments at every `exchange`:
 * 1. Depth first, upstream before downstream, so ids are 0..n-1 with upstreams first and the
 *    root (materialize) fragment last.
 * 2. Each exchange becomes a `merge` leaf (`upstreamFragmentId`) in the downstream fragment and
 *    an edge carrying the exchange's distribution (keys index the upstream's output).
 * 3. A fragment's distribution: `noShuffle` (plus `noShuffleUpstreamTableId`) when it holds a
 *    `tableScan`; single for `now`; else the distribution of the (first non-broadcast) exchange
 *    feeding it; else `rootDist`.
 */
export function fragment(root: StreamNode, rootDist: Distribution): StreamFragmentGraph {
  const fragments: StreamFragment[] = [];
  const edges: FragmentEdge[] = [];

  const build = (top: StreamNode, fallback: Distribution): number => {
    const inputs: { upstream: number; dist: Distribution }[] = [];
    let scanTableId: number | undefined;
    const rewrite = (node: StreamNode): StreamNode => {
      if (node.kind === 'exchange') {
        const upstream = build(node.input, rootDist);
        inputs.push({ upstream, dist: node.dist });
        return { kind: 'merge', upstreamFragmentId: upstream, schema: node.schema, names: node.names };
      }
      if (node.kind === 'tableScan') {
        scanTableId = node.upstreamTableId;
        return node;
      }
      if (node.kind === 'dml' || node.kind === 'merge') return node;
      if (node.kind === 'hashJoin' || node.kind === 'dynamicFilter') {
        const left = rewrite(node.left);
        return { ...node, left, right: rewrite(node.right) } as StreamNode;
      }
      if (node.kind === 'union') return { ...node, inputs: node.inputs.map(rewrite) };
      if (!('input' in node)) return node; // other leaves (e.g. sources)
      return { ...node, input: rewrite(node.input) } as StreamNode;
    };
    const node = rewrite(top);
    const fragmentId = fragments.length;
    // A broadcast input (now()) does not decide how the fragment's own rows are spread.
    const shaping = inputs.filter((i) => i.dist.kind !== 'broadcast');
    let distribution: Distribution = node.kind === 'now' || node.kind === 'values' ? { kind: 'single' } : shaping.length > 0 ? shaping[0].dist : fallback;
    const frag: StreamFragment = { fragmentId, distribution, node };
    if (scanTableId !== undefined) {
      distribution = { kind: 'noShuffle' };
      frag.distribution = distribution;
      frag.noShuffleUpstreamTableId = scanTableId;
    }
    fragments.push(frag);
    for (const i of inputs) edges.push({ upstreamFragmentId: i.upstream, downstreamFragmentId: fragmentId, dist: i.dist });
    return fragmentId;
  };

  build(root, rootDist);
  return { fragments, edges };
}

/** The fragment whose tree contains the `materialize` node. */
export function materializeFragmentId(graph: StreamFragmentGraph): number {
  const has = (n: StreamNode): boolean => n.kind === 'materialize'
    || ((n.kind === 'hashJoin' || n.kind === 'dynamicFilter') && (has(n.left) || has(n.right)))
    || (n.kind === 'union' && n.inputs.some(has))
    || ('input' in n && n.kind !== 'tableScan' && has(n.input));
  const f = graph.fragments.find((fr) => has(fr.node));
  return f ? f.fragmentId : graph.fragments.length - 1;
}
