import { createLogger, type DbError, type StreamErrorReport } from '@tributary/common';

/** A warning per error kind at most this often (the first one at once). */
const LOG_INTERVAL_MS = 10_000;

/**
 * The node's tally of data errors in streaming expressions (see `nonStrictExpr`), per job,
 * fragment, executor and SQLSTATE. Logged at warn level (rate-limited per kind) and reported to
 * meta with the heartbeat while it changes.
 */
export class StreamErrorLog {
  private readonly log = createLogger('stream-errors');
  private readonly entries = new Map<string, StreamErrorReport & { loggedAt: number; unlogged: number }>();
  private changed = false;

  constructor(private readonly now: () => number = Date.now) {}

  record(where: { jobId: number; fragmentId: number }, executor: string, err: DbError): void {
    const key = `${where.jobId}/${where.fragmentId}/${executor}/${err.code}`;
    const t = this.now();
    let e = this.entries.get(key);
    if (!e) {
      e = { jobId: where.jobId, fragmentId: where.fragmentId, executor, code: err.code, message: err.message, count: 0, firstAt: t, lastAt: t, loggedAt: -Infinity, unlogged: 0 };
      this.entries.set(key, e);
    }
    e.count++;
    e.unlogged++;
    e.lastAt = t;
    e.message = err.message;
    this.changed = true;
    if (t - e.loggedAt >= LOG_INTERVAL_MS) {
      this.log.warn({ jobId: e.jobId, fragmentId: e.fragmentId, executor, code: err.code, errors: e.unlogged, total: e.count }, `expression error in a streaming job, the value is NULL: ${err.message}`);
      e.loggedAt = t;
      e.unlogged = 0;
    }
  }

  /** Every tally, or null when nothing changed since the last call. */
  takeIfChanged(): StreamErrorReport[] | null {
    if (!this.changed) return null;
    this.changed = false;
    return this.all();
  }

  all(): StreamErrorReport[] {
    return [...this.entries.values()].map(({ loggedAt: _l, unlogged: _u, ...r }) => r);
  }
}
