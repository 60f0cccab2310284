import { ComputeServiceClient, GRPC_CHANNEL_OPTIONS, grpc, unary, type ActorDesc } from '@tributary/common';
import { versionToJson, type HummockVersion } from '@tributary/storage/version';

/** gRPC clients to compute nodes, one per address. */
export class ComputeClients {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly clients = new Map<string, any>();

  private client(address: string): unknown {
    let c = this.clients.get(address);
    if (!c) {
      c = new ComputeServiceClient(address, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
      this.clients.set(address, c);
    }
    return c;
  }

  /** Drops every actor and all uncommitted state on the node; installs `version`. */
  async reset(address: string, version: HummockVersion): Promise<void> {
    await unary(this.client(address), 'Reset', { version_json: versionToJson(version) }, 10_000);
  }

  async buildActors(address: string, actors: ActorDesc[]): Promise<void> {
    if (actors.length === 0) return;
    await unary(this.client(address), 'BuildActors', { actors_json: JSON.stringify(actors) }, 30_000);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
