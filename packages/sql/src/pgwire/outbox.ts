import type { Socket } from 'node:net';

/** Batches the bytes bound for one socket and honours its backpressure. */
export class Outbox {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private socket: Socket,
    /** `flushIfFull` writes once this many bytes are queued. */
    private readonly batchBytesMax = 64 * 1024,
  ) {}

  /** Writes go to `socket` from now on (the TLS socket after an SSLRequest was accepted). */
  retarget(socket: Socket): void {
    this.socket = socket;
  }

  get writable(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  push(message: Buffer): void {
    this.pending.push(message);
    this.pendingBytes += message.length;
  }

  /** Writes when the batch is large; call between rows. */
  async flushIfFull(): Promise<void> {
    if (this.pendingBytes >= this.batchBytesMax) await this.flush();
  }

  /** Writes everything queued in one write; waits for 'drain' when the socket buffer is full. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.writable) return;
    if (!this.socket.write(data)) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}
