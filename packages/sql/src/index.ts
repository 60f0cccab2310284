export { startFrontendNode, type FrontendNode, type FrontendNodeOptions } from './frontend/frontend-node.ts';
export * from './pgwire/index.ts';
export * from './parser/index.ts';
