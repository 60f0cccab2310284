import type { NamespaceDdl } from '@tributary/common';
import type { BarrierManager } from '../barrier/barrier-manager.ts';
import type { RecoveryLog } from '../barrier/recovery-log.ts';
import type { RebalanceLog } from '../barrier/rebalance-log.ts';
import type { CatalogManager } from '../catalog/catalog-manager.ts';
import type { UserManager } from '../catalog/user-manager.ts';
import type { ClusterManager } from '../cluster/cluster-manager.ts';
import type { FrontendSessions } from '../cluster/frontend-sessions.ts';
import type { HummockManager } from '../hummock/hummock-manager.ts';
import type { NotificationManager } from '../notification/notification-manager.ts';
import type { JobManager } from '../stream/job-manager.ts';
import type { RemoteCompactors } from '../hummock/remote-compactors.ts';
import type { StreamManager } from '../stream/stream-manager.ts';

/** The managers of a meta node, wired together. */
export interface MetaNodeContext {
  stateStoreUrl: string;
  clusterPrefix: string;
  cluster: ClusterManager;
  catalog: CatalogManager;
  users: UserManager;
  streams: StreamManager;
  hummock: HummockManager;
  barriers: BarrierManager;
  jobs: JobManager;
  notifications: NotificationManager;
  recoveryLog: RecoveryLog;
  /** Open client sessions per frontend and database. */
  frontendSessions: FrontendSessions;
  compactors: RemoteCompactors;
  /** CREATE/DROP SCHEMA and DATABASE (see namespace-ddl.ts). */
  namespaceDdl(ddl: NamespaceDdl): Promise<void>;
  rebalanceLog: RebalanceLog;
  snapshot(): object;
  clusterInfo(): object;
}
