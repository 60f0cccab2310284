import { SqlState } from './sql-state.ts';

/**
 * Base of every error a user may see. `code` is required; pgwire reports the first code in the
 * `cause` chain (see `sqlStateOf`), else XX000.
 */
export class DbError extends Error {
  readonly code: SqlState;
  readonly detail?: string;
  readonly hint?: string;

  constructor(code: SqlState, message: string, options?: { cause?: unknown; detail?: string; hint?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.detail = options?.detail;
    this.hint = options?.hint;
  }
}

export class CatalogError extends DbError {}
export class BindError extends DbError {}
export class StorageError extends DbError {}
export class StreamError extends DbError {}
export class RpcError extends DbError {}

/** First SQLSTATE in the cause chain, else XX000. */
export function sqlStateOf(err: unknown): SqlState {
  let e: unknown = err;
  for (let depth = 0; e && depth < 16; depth++) {
    if (e instanceof DbError) return e.code;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /[0-9]/.test(code)) return code as SqlState;
    e = (e as { cause?: unknown }).cause;
  }
  return SqlState.InternalError;
}

export function notSupported(feature: string, hint?: string): DbError {
  return new DbError(SqlState.FeatureNotSupported, `${feature} is not supported yet`, { hint });
}

/** A programmer error: the process state is wrong. Crash rather than continue. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
