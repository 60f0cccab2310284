export { startComputeNode, type ComputeNode, type ComputeNodeOptions } from './server/compute-node.ts';
export { startCompactorNode, type CompactorNode, type CompactorNodeOptions } from './compactor/compactor-node.ts';
