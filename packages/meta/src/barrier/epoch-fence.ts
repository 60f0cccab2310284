import { DbError, SqlState } from '@tributary/common';
import { CF, type MetaStore } from '../meta-store/meta-store.ts';

const KEY = 'discarded_epochs';
const KEEP = 256;

/**
 * The epoch ranges that recoveries threw away: every epoch after the committed one up to the last
 * injected one (its writes were emitted but never committed). A write acknowledged "once its epoch
 * is committed" must check its epoch is not in such a range, because epochs after a recovery keep
 * growing past it. Persisted, so a restarted meta (which discards everything after the committed
 * epoch up to "now") still answers correctly.
 */
export class EpochFence {
  private ranges: Array<[bigint, bigint]> = [];

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    const json = await this.store.get(CF.system, KEY);
    this.ranges = json ? (JSON.parse(json) as Array<[string, string]>).map(([lo, hi]) => [BigInt(lo), BigInt(hi)]) : [];
  }

  /** Epochs in (after, upTo] were discarded. */
  async discard(after: bigint, upTo: bigint): Promise<void> {
    if (upTo <= after) return;
    this.ranges.push([after, upTo]);
    if (this.ranges.length > KEEP) this.ranges.shift();
    await this.store.txn([{ kind: 'put', cf: CF.system, key: KEY, value: JSON.stringify(this.ranges.map(([lo, hi]) => [String(lo), String(hi)])) }]);
  }

  isDiscarded(epoch: bigint): boolean {
    return this.ranges.some(([lo, hi]) => epoch > lo && epoch <= hi);
  }

  /** Throws when `epoch` was discarded: the writes made in it were not applied. */
  check(epoch: bigint): void {
    if (this.isDiscarded(epoch)) {
      throw new DbError(SqlState.SerializationFailure, 'the write was not applied: a node failed before its checkpoint committed; retry the statement');
    }
  }
}
