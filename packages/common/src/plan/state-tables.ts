import type { StateTableDesc } from './state-table-desc.ts';
import type { StreamNode } from './stream-node.ts';

type NodeOf<K extends StreamNode['kind']> = Extract<StreamNode, { kind: K }>;

/**
 * The state tables each node kind owns (writes). A table scan's upstream table is read, not owned.
 * Exhaustive: a new node kind does not compile until it says what it owns.
 */
const OWNED: { [K in StreamNode['kind']]: (node: NodeOf<K>) => Array<StateTableDesc | null | undefined> } = {
  dml: () => [],
  rowIdGen: () => [],
  materialize: (n) => [n.table],
  tableScan: (n) => [n.progressTable],
  project: () => [],
  filter: () => [],
  hashAgg: (n) => [n.resultTable, ...n.minMaxTables, ...(n.distinctTables ?? [])],
  simpleAgg: (n) => [n.resultTable, ...n.minMaxTables, ...(n.distinctTables ?? [])],
  hashJoin: (n) => [n.leftTable, n.rightTable],
  union: () => [],
  topN: (n) => [n.table],
  timeWindow: () => [],
  watermarkFilter: (n) => [n.table],
  now: () => [],
  values: (n) => [n.table],
  dynamicFilter: (n) => [n.table],
  exchange: () => [],
  merge: () => [],
  source: (n) => [n.splitTable],
};

/** Children of a node within its fragment (a table scan's input is another job's stream). */
export function streamNodeChildren(node: StreamNode): StreamNode[] {
  switch (node.kind) {
    case 'hashJoin':
    case 'dynamicFilter':
      return [node.left, node.right];
    case 'union':
      return node.inputs;
    case 'tableScan':
      return [];
    default:
      return 'input' in node ? [node.input] : [];
  }
}

/** Every state table the tree under `node` owns, parents first. */
export function ownedStateTables(node: StreamNode): StateTableDesc[] {
  const own = (OWNED[node.kind] as (n: StreamNode) => Array<StateTableDesc | null | undefined>)(node);
  return [...own.filter((t): t is StateTableDesc => !!t), ...streamNodeChildren(node).flatMap(ownedStateTables)];
}
