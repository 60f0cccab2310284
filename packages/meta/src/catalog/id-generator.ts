import { CF, type MetaStore } from '../meta-store/meta-store.ts';

/**
 * Monotonic id sequences persisted in the meta store. Ids are reserved in blocks so that a restart
 * never hands out an id twice (the unused rest of a block is skipped).
 */
export class IdGenerator {
  private next = 0;
  private limit = 0;

  constructor(
    private readonly store: MetaStore,
    private readonly name: string,
    private readonly blockSize = 1000,
    private readonly firstId = 1,
  ) {}

  async nextIds(count: number): Promise<number> {
    if (this.next + count > this.limit) {
      const stored = await this.store.get(CF.system, `id:${this.name}`);
      const base = Math.max(stored ? Number(stored) : this.firstId, this.limit);
      const newLimit = base + Math.max(this.blockSize, count);
      await this.store.txn([{ kind: 'put', cf: CF.system, key: `id:${this.name}`, value: String(newLimit) }]);
      this.next = base;
      this.limit = newLimit;
    }
    const start = this.next;
    this.next += count;
    return start;
  }

  async nextId(): Promise<number> {
    return this.nextIds(1);
  }
}
