import { AsyncLocalStorage } from 'node:async_hooks';
import type { CatalogSessionInfo } from '@tributary/common';
import type { StatementResult } from '../pgwire/index.ts';

/**
 * The session a statement runs for, visible to code that has no session argument: the catalog
 * functions (`current_user`, `current_schemas`, `pg_table_is_visible`) are global builtins of
 * common, evaluated deep inside batch executors. A statement runs inside `inSession`; its result
 * rows are produced lazily by the pgwire writer, so each step of the row iterator re-enters it.
 */
const storage = new AsyncLocalStorage<CatalogSessionInfo>();

export function currentSession(): CatalogSessionInfo | null {
  return storage.getStore() ?? null;
}

/** Runs `fn` (and everything it awaits) as `info`'s session; rows of the result keep the session. */
export async function inSession(info: CatalogSessionInfo, fn: () => Promise<StatementResult>): Promise<StatementResult> {
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
