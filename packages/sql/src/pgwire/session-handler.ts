import type { FieldDescription } from './messages.ts';

/** What one statement produced; pgwire encodes it. */
export type StatementResult =
  | {
      kind: 'rows';
      fields: FieldDescription[];
      /** Text-format values; null is SQL NULL. Iterated once, with backpressure. */
      rows: Iterable<(string | null)[]> | AsyncIterable<(string | null)[]>;
      /** e.g. 'SHOW'; exactly 'SELECT' makes the server send 'SELECT <row count>'. */
      tag: string;
    }
  | { kind: 'command'; tag: string; notices?: string[] }
  | { kind: 'empty' };

/** One client session. pgwire calls `execute` for one statement at a time, never concurrently. */
export interface SessionHandler {
  /**
   * Runs ONE statement (text without trailing ';'). Throws DbError (or any error) on failure;
   * the SQLSTATE is `sqlStateOf(err)` and a numeric `position` property (1-based, relative to
   * `statementSql`) is reported as the error position. `signal` aborts on cancel/disconnect.
   */
  execute(statementSql: string, signal: AbortSignal): Promise<StatementResult>;
  /** Called once when the connection ends. Must not throw (errors are logged and ignored). */
  close(): void;
}

/** A pino-like logger. */
export interface PgLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface SessionParams {
  user: string;
  database: string;
  processId: number;
  /** Every startup parameter the client sent (application_name, options, ...). */
  startupParams?: ReadonlyMap<string, string>;
}
