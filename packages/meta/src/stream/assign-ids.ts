import { ownedStateTables, streamNodeChildren, type StateTableDesc, type StreamFragmentGraph, type StreamNode } from '@tributary/common';

/** Every node of a fragment's tree, parents first (a table scan's input is another job's stream). */
function* nodesOf(node: StreamNode): Generator<StreamNode> {
  yield node;
  for (const child of streamNodeChildren(node)) yield* nodesOf(child);
}

/**
 * Binds a planner's graph to its relation, in place: the relation's own table id on `dml`,
 * `source` and the root `materialize`, and the upstream relation's materialize fragment as the
 * input of each `tableScan`.
 */
export function bindRelationIds(graph: StreamFragmentGraph, relationId: number, upstreamFragmentOf: (tableId: number) => number): void {
  for (const f of graph.fragments) {
    for (const node of nodesOf(f.node)) {
      if (node.kind === 'dml' || node.kind === 'source') node.tableId = relationId;
      else if (node.kind === 'materialize' && node.table.tableId === -1) node.table.tableId = relationId;
      else if (node.kind === 'tableScan') {
        node.input = { kind: 'merge', upstreamFragmentId: upstreamFragmentOf(node.upstreamTableId), schema: node.upstreamTable.columns, names: [] };
      }
    }
  }
}

/** The graph's internal state tables still without an id (after `bindRelationIds`): they take fresh ones. */
export function freshStateTables(graph: StreamFragmentGraph): StateTableDesc[] {
  return [...new Set(graph.fragments.flatMap((f) => ownedStateTables(f.node)).filter((t) => t.tableId === -1))];
}

/** Rewrites local fragment ids (0..n-1) in merge nodes to global ones (a table scan's merge is global already). */
export function remapMergeIds(node: StreamNode, map: (local: number) => number): void {
  for (const n of nodesOf(node)) if (n.kind === 'merge') n.upstreamFragmentId = map(n.upstreamFragmentId);
}
