/** One frontend's open sessions per database, as it last reported them. */
export interface FrontendSessionReport {
  workerId: number;
  /** Database name -> open sessions. */
  databases: Record<string, number>;
  reportedAt: number;
}

/**
 * Where clients are connected: each frontend reports its open sessions per database with its pins
 * (every second, and at once when a session opens or closes). DROP DATABASE refuses a database
 * other sessions use (55006), as PostgreSQL does. A frontend silent for `staleMs` (gone, or cut
 * off from meta) no longer counts.
 */
export class FrontendSessions {
  private readonly reports = new Map<number, FrontendSessionReport>();

  constructor(private readonly staleMs = 3000) {}

  report(workerId: number, databases: Record<string, number>, now = Date.now()): void {
    this.reports.set(workerId, { workerId, databases, reportedAt: now });
  }

  /** Fresh reports, by frontend. */
  list(now = Date.now()): FrontendSessionReport[] {
    for (const [id, r] of this.reports) if (now - r.reportedAt > this.staleMs) this.reports.delete(id);
    return [...this.reports.values()];
  }
}
