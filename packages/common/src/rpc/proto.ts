import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const PROTO_PATH = fileURLToPath(new URL('./tributary.proto', import.meta.url));

const definition = protoLoader.loadSync(PROTO_PATH, {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const pkg = (grpc.loadPackageDefinition(definition) as any).tributary;

/** gRPC service definitions for `server.addService`. */
export const MetaServiceDef: grpc.ServiceDefinition = pkg.MetaService.service;
export const ComputeServiceDef: grpc.ServiceDefinition = pkg.ComputeService.service;

/** Client constructors (dynamic stubs from the proto). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const MetaServiceClient: any = pkg.MetaService;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ComputeServiceClient: any = pkg.ComputeService;

/** Channel options: big messages allowed, keepalive to detect dead peers quickly. */
export const GRPC_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': 256 * 1024 * 1024,
  'grpc.max_send_message_length': 256 * 1024 * 1024,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  // A peer restarted at the same address (meta, a rejoining compute node) is reachable again
  // within a second: the default reconnect backoff grows to minutes and fails calls meanwhile.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
};

export { grpc };
