import type { FieldDescription, TransactionStatus } from './messages.ts';

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
  /** `parameters`: reported settings the statement changed, sent as ParameterStatus. */
  | { kind: 'command'; tag: string; notices?: string[]; parameters?: Array<[string, string]> }
  | { kind: 'empty' }
  /**
   * COPY ... FROM STDIN: pgwire sends CopyInResponse, then `consume` reads the CopyData payloads
   * (it ends at CopyDone; CopyFail makes it throw 57014) and returns the command tag.
   */
  | { kind: 'copyIn'; columns: number; consume(data: AsyncIterable<Buffer>): Promise<string> }
  /** COPY ... TO STDOUT: each item is one CopyData payload (a line with its '\n'). Tag `COPY <n>`. */
  | { kind: 'copyOut'; columns: number; data: AsyncIterable<string> | Iterable<string>; /** Sent first, not counted. */ header?: string };

/** A statement prepared by Parse (extended query protocol). */
export interface PreparedStatement {
  /** One OID per `$n` parameter: declared by Parse, else inferred from the statement. */
  readonly paramTypeOids: readonly number[];
  /** Result columns when the statement returns rows; null when it returns none (NoData). */
  readonly fields: readonly FieldDescription[] | null;
}

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
  /**
   * Parses and binds ONE statement with `$n` parameters (Parse). `paramTypeOids[i]` 0 means infer.
   * Without this method the extended query protocol is refused with 0A000.
   */
  prepare?(sql: string, paramTypeOids: readonly number[]): Promise<PreparedStatement>;
  /** Runs a prepared statement with its parameters as text input (null = SQL NULL). */
  executePrepared?(statement: PreparedStatement, params: readonly (string | null)[], signal: AbortSignal): Promise<StatementResult>;
  /** The ReadyForQuery status: idle, in a transaction block, or in a failed one. Default 'I'. */
  transactionStatus?(): TransactionStatus;
  /** A statement failed (also while its rows were being sent): a transaction block becomes failed. */
  statementFailed?(): void;
  /** The session's statement_timeout in ms; 0 = none. */
  statementTimeoutMs?(): number;
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
