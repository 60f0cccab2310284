/** Fan-out of catalog/version/placement changes to subscribed frontends (server streams). */
export interface NotificationSink {
  write(n: { kind: string; json: string }): void;
}

export class NotificationManager {
  private readonly sinks = new Set<NotificationSink>();

  add(sink: NotificationSink): void {
    this.sinks.add(sink);
  }

  remove(sink: NotificationSink): void {
    this.sinks.delete(sink);
  }

  notify(kind: string, payload: unknown): void {
    const json = JSON.stringify(payload, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    for (const s of this.sinks) {
      try {
        s.write({ kind, json });
      } catch {
        this.sinks.delete(s);
      }
    }
  }
}
