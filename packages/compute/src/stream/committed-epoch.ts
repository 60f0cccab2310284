/**
 * The newest epoch committed in this node's state store version, and waiters for a given epoch
 * (a rebalanced actor waits for the epoch its state was handed over at). `reset` rejects every
 * waiter: the node drops its actors.
 */
export class CommittedEpoch {
  private epoch = 0n;
  private waiters: Array<{ epoch: bigint; resolve(): void; reject(err: Error): void }> = [];

  get current(): bigint {
    return this.epoch;
  }

  /** A version with max committed epoch `epoch` was installed. */
  advance(epoch: bigint): void {
    if (epoch <= this.epoch) return;
    this.epoch = epoch;
    const ready = this.waiters.filter((w) => w.epoch <= epoch);
    this.waiters = this.waiters.filter((w) => w.epoch > epoch);
    for (const w of ready) w.resolve();
  }

  wait(epoch: bigint): Promise<void> {
    if (epoch <= this.epoch) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ epoch, resolve, reject }));
  }

  reset(): void {
    const err = new Error('the compute node was reset');
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
