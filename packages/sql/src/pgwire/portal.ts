import { formatAt } from './frontend-messages.ts';
import { encodeBinary } from './binary-codec.ts';
import type { FormatCode } from './messages.ts';
import type { PreparedStatement, StatementResult } from './session-handler.ts';

/** A Parse'd statement kept by name ('' = the unnamed one). */
export interface StatementEntry {
  readonly prepared: PreparedStatement;
}

/**
 * A bound statement (Bind). It runs lazily, on its first Describe or Execute, so a Describe can
 * report the exact row shape; an Execute with a row limit leaves the row iterator open for the
 * next Execute (PortalSuspended).
 */
export class Portal {
  result?: StatementResult;
  /** Aborts the portal's statement (cancel, timeout, connection close). */
  readonly controller = new AbortController();
  private rows?: AsyncIterator<(string | null)[]>;
  finished = false;

  constructor(
    readonly statement: StatementEntry,
    readonly params: readonly (string | null)[],
    private readonly resultFormats: readonly number[],
  ) {}

  /** Format of each result column (validated: 0 or 1). */
  formats(columns: number): FormatCode[] {
    return Array.from({ length: columns }, (_, i) => formatAt(this.resultFormats, i));
  }

  /** The next row, or undefined at the end. Rows are text values; see `encodeRow`. */
  async nextRow(): Promise<(string | null)[] | undefined> {
    if (this.result?.kind !== 'rows') return undefined;
    if (!this.rows) {
      const rows = this.result.rows;
      this.rows = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : toAsync(rows[Symbol.iterator]());
    }
    const next = await this.rows.next();
    return next.done ? undefined : next.value;
  }

  /** Stops the row source early (Close, or the connection ending). */
  close(): void {
    this.controller.abort();
    void this.rows?.return?.().catch(() => undefined);
  }
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return { next: async () => it.next() };
}

/** A row's values in the requested formats (binary through `encodeBinary` of each column's type). */
export function encodeRow(values: readonly (string | null)[], typeOids: readonly number[], formats: readonly FormatCode[]): (Buffer | null)[] {
  return values.map((v, i) => {
    if (v === null || v === undefined) return null;
    return formats[i] === 1 ? encodeBinary(typeOids[i], v) : Buffer.from(v, 'utf8');
  });
}
