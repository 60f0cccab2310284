export { startMetaNode, type MetaNode, type MetaNodeOptions } from './meta-node.ts';
export type { RecoveryEvent } from './barrier/recovery-log.ts';
