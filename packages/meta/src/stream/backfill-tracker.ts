import type { ActorBackfillProgress } from '@tributary/common';

/** A CREATE MATERIALIZED VIEW whose backfill is running (a row of SHOW JOBS). */
export interface JobProgress {
  id: number;
  statement: string;
  /** consumed / total rows of all its table scans, '0.00%'..'100.00%'. */
  progress: string;
}

interface TrackedJob {
  statement: string;
  /** Table-scan actors; a job with none has nothing to backfill. */
  actors: number[];
  reports: Map<number, ActorBackfillProgress>;
}

/**
 * Backfill progress of the jobs being created (RisingWave's CreateMviewProgressTracker): table
 * scans report with each barrier; the barrier manager applies a barrier's reports when it commits
 * that barrier, so `isDone` turns true exactly at the epoch whose data holds the whole backfill.
 */
export class BackfillTracker {
  private readonly jobs = new Map<number, TrackedJob>();

  begin(jobId: number, statement: string, actors: number[]): void {
    this.jobs.set(jobId, { statement, actors, reports: new Map() });
  }

  end(jobId: number): void {
    this.jobs.delete(jobId);
  }

  /** Applies the reports of one committed barrier. */
  apply(reports: readonly ActorBackfillProgress[]): void {
    if (reports.length === 0 || this.jobs.size === 0) return;
    for (const job of this.jobs.values()) {
      for (const r of reports) if (job.actors.includes(r.actorId)) job.reports.set(r.actorId, r);
    }
  }

  /** Every table scan of the job has reported done (true for a job without any). */
  isDone(jobId: number): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return true;
    return job.actors.every((a) => job.reports.get(a)?.done === true);
  }

  list(): JobProgress[] {
    return [...this.jobs.entries()].map(([id, job]) => {
      let consumed = 0;
      let total = 0;
      for (const a of job.actors) {
        const r = job.reports.get(a);
        if (!r) continue;
        consumed += r.done ? Math.max(r.consumedRows, r.totalRows) : r.consumedRows;
        total += Math.max(r.totalRows, r.consumedRows);
      }
      const done = this.isDone(id);
      // Never 100% before the job is done: the table may have grown past its estimate.
      const pct = done ? 100 : total === 0 ? 0 : Math.min(99.99, (100 * consumed) / total);
      return { id, statement: job.statement, progress: `${pct.toFixed(2)}%` };
    });
  }
}
