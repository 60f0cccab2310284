import { CF, type MetaStore } from '../meta-store/meta-store.ts';

/**
 * Monotonic id sequences persisted in the meta store. Ids are reserved in blocks so that a restart
 * never hands out an id twice (the unused rest of a block is skipped). Calls may overlap (every
 * compute node asks for SST ids at the same checkpoint): one refill of the block runs at a time,
 * and ids are taken from the block synchronously, so no two calls get the same id.
 */
export class IdGenerator {
  private next = 0;
  private limit = 0;
  /** The block refill in flight; callers that find the block short wait for it, then look again. */
  private refilling: Promise<void> | null = null;

  constructor(
    private readonly store: MetaStore,
    private readonly name: string,
    private readonly blockSize = 1000,
    private readonly firstId = 1,
  ) {}

  async nextIds(count: number): Promise<number> {
    while (this.next + count > this.limit) {
      this.refilling ??= this.refill(count).finally(() => { this.refilling = null; });
      await this.refilling;
    }
    const start = this.next;
    this.next += count;
    return start;
  }

  async nextId(): Promise<number> {
    return this.nextIds(1);
  }

  /** Reserves the next block (at least `count` ids) in the store before handing any of it out. */
  private async refill(count: number): Promise<void> {
    const stored = await this.store.get(CF.system, `id:${this.name}`);
    const base = Math.max(stored ? Number(stored) : this.firstId, this.limit);
    const newLimit = base + Math.max(this.blockSize, count);
    await this.store.txn([{ kind: 'put', cf: CF.system, key: `id:${this.name}`, value: String(newLimit) }]);
    this.next = base;
    this.limit = newLimit;
  }
}
