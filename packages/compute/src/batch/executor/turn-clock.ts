/** How long a batch query may keep the event loop before it gives it a turn. */
const SLICE_MS = 10;

/**
 * Gives the event loop a turn every `SLICE_MS` of a batch query's work. Batch operators chain
 * async generators whose hand-offs are microtasks, so a CPU-heavy query (a big join, a sort)
 * would otherwise hold the loop until it ends: no cancel request could be read, no other session
 * served, and in the playground no barrier or heartbeat would go out.
 */
export class TurnClock {
  private sliceStart = performance.now();

  /** Resolves at once within a slice; after a slice, on the next turn of the event loop. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}
