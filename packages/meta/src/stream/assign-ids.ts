import type { StateTableDesc, StreamFragmentGraph, StreamNode } from '@tributary/common';

/**
 * Gives a planner's graph global ids, in place: the relation's own table id on `dml` and the root
 * `materialize`, fresh ids on every internal state table, and the upstream relation's materialize
 * fragment as the input of each `tableScan`.
 */
export function assignStateTableIds(
  graph: StreamFragmentGraph,
  relationId: number,
  nextTableId: () => number,
  upstreamFragmentOf: (tableId: number) => number,
): void {
  const fresh = (t: StateTableDesc) => {
    if (t.tableId === -1) t.tableId = nextTableId();
  };
  const visit = (node: StreamNode): void => {
    switch (node.kind) {
      case 'dml':
        node.tableId = relationId;
        return;
      case 'source':
        node.tableId = relationId;
        fresh(node.splitTable);
        return;
      case 'materialize':
        if (node.table.tableId === -1) node.table.tableId = relationId;
        break;
      case 'tableScan':
        fresh(node.progressTable);
        node.input = { kind: 'merge', upstreamFragmentId: upstreamFragmentOf(node.upstreamTableId), schema: node.upstreamTable.columns, names: [] };
        return;
      case 'hashAgg':
      case 'simpleAgg':
        fresh(node.resultTable);
        node.minMaxTables.forEach((t) => t && fresh(t));
        node.distinctTables?.forEach((t) => t && fresh(t));
        break;
      case 'topN':
      case 'watermarkFilter':
      case 'values':
        fresh(node.table);
        break;
      case 'dynamicFilter':
        fresh(node.table);
        visit(node.left);
        visit(node.right);
        return;
      case 'union':
        node.inputs.forEach(visit);
        return;
      case 'hashJoin':
        fresh(node.leftTable);
        fresh(node.rightTable);
        visit(node.left);
        visit(node.right);
        return;
      default:
        break;
    }
    if ('input' in node) visit(node.input);
  };
  for (const f of graph.fragments) visit(f.node);
}

/** Rewrites local fragment ids (0..n-1) in merge nodes to global ones. */
export function remapMergeIds(node: StreamNode, map: (local: number) => number): void {
  if (node.kind === 'merge') {
    node.upstreamFragmentId = map(node.upstreamFragmentId);
    return;
  }
  if (node.kind === 'tableScan') return; // its merge already points at a global fragment
  if (node.kind === 'union') {
    for (const i of node.inputs) remapMergeIds(i, map);
    return;
  }
  if (node.kind === 'hashJoin' || node.kind === 'dynamicFilter') {
    remapMergeIds(node.left, map);
    remapMergeIds(node.right, map);
    return;
  }
  if ('input' in node) remapMergeIds(node.input, map);
}

/** Internal state tables of the graph still without an id (the relation's own table excluded). */
export function countFreshStateTables(graph: StreamFragmentGraph): number {
  let n = 0;
  const fresh = (t: StateTableDesc | null) => (t && t.tableId === -1 ? 1 : 0);
  const visit = (node: StreamNode): void => {
    if (node.kind === 'tableScan') {
      n += fresh(node.progressTable);
      return;
    }
    if (node.kind === 'source') {
      n += fresh(node.splitTable);
      return;
    }
    if (node.kind === 'hashAgg' || node.kind === 'simpleAgg') {
      n += fresh(node.resultTable);
      for (const t of node.minMaxTables) n += fresh(t);
      for (const t of node.distinctTables ?? []) n += fresh(t);
    }
    if (node.kind === 'topN' || node.kind === 'watermarkFilter' || node.kind === 'values') n += fresh(node.table);
    if (node.kind === 'dynamicFilter') {
      n += fresh(node.table);
      visit(node.left);
      visit(node.right);
      return;
    }
    if (node.kind === 'union') {
      node.inputs.forEach(visit);
      return;
    }
    if (node.kind === 'hashJoin') {
      n += fresh(node.leftTable) + fresh(node.rightTable);
      visit(node.left);
      visit(node.right);
      return;
    }
    if ('input' in node) visit(node.input);
  };
  for (const f of graph.fragments) visit(f.node);
  return n;
}
