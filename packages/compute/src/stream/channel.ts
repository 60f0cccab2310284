/**
 * A bounded single-consumer async channel (backpressure: `send` waits while full). `sendNow`
 * bypasses the bound; barriers use it so they never wait behind data. `recv` returns undefined once
 * the channel is closed and drained.
 */
export class Channel<T> {
  private readonly buf: T[] = [];
  private head = 0;
  private closed = false;
  private recvWaiter: ((v: void) => void) | null = null;
  private sendWaiters: Array<() => void> = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.buf.length - this.head;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async send(item: T): Promise<void> {
    while (this.size >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.sendWaiters.push(resolve));
    }
    this.sendNow(item);
  }

  /** Enqueues regardless of capacity. Items sent after close are dropped. */
  sendNow(item: T): void {
    if (this.closed) return;
    this.buf.push(item);
    const w = this.recvWaiter;
    if (w) {
      this.recvWaiter = null;
      w();
    }
  }

  async recv(): Promise<T | undefined> {
    while (this.size === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.recvWaiter = resolve));
    }
    const item = this.buf[this.head];
    this.buf[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.buf.length) {
      this.buf.splice(0, this.head);
      this.head = 0;
    }
    if (this.sendWaiters.length > 0 && this.size < this.capacity) this.sendWaiters.shift()!();
    return item;
  }

  /** Resolves true as soon as an item can be received, false after `timeoutMs` (or on close). */
  async waitReadable(timeoutMs: number): Promise<boolean> {
    if (this.size > 0) return true;
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.recvWaiter = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    this.recvWaiter = null;
    return this.size > 0;
  }

  close(): void {
    this.closed = true;
    this.recvWaiter?.();
    this.recvWaiter = null;
    for (const w of this.sendWaiters.splice(0)) w();
  }
}
