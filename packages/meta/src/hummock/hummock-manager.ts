import {
  applyVersionDelta, deltaToJson, emptyVersion, versionFromJson, versionToJson,
  type HummockVersion, type HummockVersionDelta, type SstInfo,
} from '@tributary/storage/version';
import type { Logger } from '@tributary/common';
import { CF, type MetaStore, type MetaStoreOp } from '../meta-store/meta-store.ts';
import { IdGenerator } from '../catalog/id-generator.ts';

/**
 * Owns the HummockVersion: every change is a delta committed in one meta-store transaction
 * together with whatever catalog ops ride on the same epoch.
 */
export class HummockManager {
  private current: HummockVersion = emptyVersion();
  private readonly sstIds: IdGenerator;

  constructor(
    private readonly store: MetaStore,
    private readonly log: Logger,
  ) {
    this.sstIds = new IdGenerator(store, 'sst', 10_000);
  }

  async load(): Promise<void> {
    const json = await this.store.get(CF.system, 'hummock_version');
    if (json) this.current = versionFromJson(json);
  }

  get version(): HummockVersion {
    return this.current;
  }

  get committedEpoch(): bigint {
    return this.current.maxCommittedEpoch;
  }

  async allocateSstIds(count: number): Promise<number> {
    return this.sstIds.nextIds(count);
  }

  /** Commits `epoch` with the SSTs every node uploaded for it, plus `extraOps`, atomically. */
  async commitEpoch(epoch: bigint, ssts: SstInfo[], extraOps: MetaStoreOp[]): Promise<HummockVersion> {
    const v = this.current;
    const delta: HummockVersionDelta = {
      id: v.id + 1,
      prevId: v.id,
      maxCommittedEpoch: epoch,
      safeEpoch: v.safeEpoch,
      newL0SubLevel: ssts.length > 0 ? { id: v.id + 1, ssts } : undefined,
    };
    const next = applyVersionDelta(v, delta);
    const ops: MetaStoreOp[] = [...extraOps, { kind: 'put', cf: CF.system, key: 'hummock_version', value: versionToJson(next) }];
    if (delta.newL0SubLevel) ops.push({ kind: 'put', cf: CF.versionDeltas, key: String(delta.id).padStart(12, '0'), value: deltaToJson(delta) });
    await this.store.txn(ops);
    this.current = next;
    this.log.debug({ epoch: epoch.toString(), versionId: next.id, ssts: ssts.length }, 'epoch committed');
    return next;
  }
}
