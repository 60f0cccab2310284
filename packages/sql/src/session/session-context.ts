import { AsyncLocalStorage } from 'node:async_hooks';
import { setStatementTimeProvider, setTimeZoneProvider, UTC_ZONE, type CatalogSessionInfo, type TimeZone } from '@tributary/common';
import type { StatementResult } from '../pgwire/index.ts';

/** What a running statement knows of its session. */
export interface SessionContextInfo extends CatalogSessionInfo {
  /** Parsing and printing timestamptz (common's datum codecs read it through the provider). */
  timeZone: TimeZone;
  /** When the statement began (µs since 1970): now() and CURRENT_TIMESTAMP for all its rows. */
  statementStartMicros: bigint;
}

/**
 * The session a statement runs for, visible to code that has no session argument: the catalog
 * functions (`current_user`, `current_schemas`, `pg_table_is_visible`) are global builtins of
 * common, evaluated deep inside batch executors, and so are the timestamptz text codecs. A
 * statement runs inside `inSession`; the parts of its result pgwire drives later (rows, COPY data
 * in and out) re-enter it at each step.
 */
const storage = new AsyncLocalStorage<SessionContextInfo>();

// Datum text codecs are pure functions of common; the session's zone reaches them from here.
setTimeZoneProvider(() => storage.getStore()?.timeZone ?? UTC_ZONE);
setStatementTimeProvider(() => storage.getStore()?.statementStartMicros ?? null);

export function currentSession(): SessionContextInfo | null {
  return storage.getStore() ?? null;
}

/** Runs `fn` (and everything it awaits) as `info`'s session; the deferred parts of its result too. */
export async function inSession(info: SessionContextInfo, fn: () => Promise<StatementResult>): Promise<StatementResult> {
  const result = await storage.run(info, fn);
  switch (result.kind) {
    case 'rows':
      return Symbol.asyncIterator in result.rows ? { ...result, rows: reentering(info, result.rows as AsyncIterable<(string | null)[]>) } : result;
    case 'copyOut':
      return Symbol.asyncIterator in result.data ? { ...result, data: reentering(info, result.data as AsyncIterable<string>) } : result;
    case 'copyIn': {
      const consume = result.consume.bind(result);
      return { ...result, consume: (data) => storage.run(info, () => consume(data)) };
    }
    default:
      return result;
  }
}

/** `items`, each step run as `info`'s session (an async generator resumes in its caller's context). */
function reentering<T>(info: SessionContextInfo, items: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = items[Symbol.asyncIterator]();
      return {
        next: () => storage.run(info, () => it.next()),
        return: (value?: unknown) => storage.run(info, async () => (it.return ? it.return(value) : { done: true as const, value: undefined as T })),
      };
    },
  };
}
