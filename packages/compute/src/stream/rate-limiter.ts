/**
 * A token bucket over rows: `rowsPerSecond` tokens accrue continuously, up to a burst of one
 * second's worth (at least one row). Callers take what `available()` grants and `consume` it;
 * when nothing is available, `waitMs()` says how long until the next row is.
 *
 * Time is injected (`now`) so tests can drive it; production uses `performance.now()`.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(readonly rowsPerSecond: number, private readonly now: () => number = () => performance.now()) {
    if (!(rowsPerSecond > 0)) throw new Error(`rate limit must be positive, got ${rowsPerSecond}`);
    this.burst = Math.max(1, rowsPerSecond);
    this.tokens = this.burst;
    this.last = now();
  }

  /** Whole rows that may be sent now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Takes `rows` tokens (at most what `available()` last granted). */
  consume(rows: number): void {
    this.tokens -= rows;
  }

  /** Milliseconds until at least one row is available (0 when one is). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.rowsPerSecond);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rowsPerSecond) / 1000);
    this.last = t;
  }
}
