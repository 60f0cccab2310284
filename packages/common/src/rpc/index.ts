export * from './proto.ts';
export * from './rpc-call.ts';
