export { startComputeNode, type ComputeNode, type ComputeNodeOptions } from './server/compute-node.ts';
