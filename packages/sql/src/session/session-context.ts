import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeZoneProvider, UTC_ZONE, type CatalogSessionInfo, type TimeZone } from '@tributary/common';
import type { StatementResult } from '../pgwire/index.ts';

/** What a running statement knows of its session. */
export interface SessionContextInfo extends CatalogSessionInfo {
  /** Parsing and printing timestamptz (common's datum codecs read it through the provider). */
  timeZone: TimeZone;
}

/**
 * The session a statement runs for, visible to code that has no session argument: the catalog
 * functions (`current_user`, `current_schemas`, `pg_table_is_visible`) are global builtins of
 * common, evaluated deep inside batch executors. A statement runs inside `inSession`; its result
 * rows are produced lazily by the pgwire writer, so each step of the row iterator re-enters it.
 */
const storage = new AsyncLocalStorage<SessionContextInfo>();

// Datum text codecs are pure functions of common; the session's zone reaches them from here.
setTimeZoneProvider(() => storage.getStore()?.timeZone ?? UTC_ZONE);

export function currentSession(): SessionContextInfo | null {
  return storage.getStore() ?? null;
}

/** Runs `fn` (and everything it awaits) as `info`'s session; rows of the result keep the session. */
export async function inSession(info: SessionContextInfo, fn: () => Promise<StatementResult>): Promise<StatementResult> {
  const result = await storage.run(info, fn);
  if (result.kind !== 'rows' || !(Symbol.asyncIterator in result.rows)) return result;
  const rows = result.rows as AsyncIterable<(string | null)[]>;
  return {
    ...result,
    rows: {
      [Symbol.asyncIterator]() {
        const it = rows[Symbol.asyncIterator]();
        return {
          next: () => storage.run(info, () => it.next()),
          return: (value?: unknown) => storage.run(info, async () => (it.return ? it.return(value) : { done: true as const, value: undefined })),
        };
      },
    },
  };
}
