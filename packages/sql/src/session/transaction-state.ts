import { DbError, SqlState } from '@tributary/common';
import type { TransactionStatus } from '../pgwire/messages.ts';

/**
 * BEGIN / COMMIT / ROLLBACK bookkeeping. Tributary has no multi-statement transactions: every
 * statement takes effect on its own (autocommit) even inside a block, and ROLLBACK undoes nothing.
 * The block only drives the ReadyForQuery status ('I' idle, 'T' in a block, 'E' failed) that
 * clients and drivers rely on, PostgreSQL's 25P02 refusal after an error inside a block, and
 * READ ONLY blocks refusing writes (25006).
 */
export class TransactionState {
  private status: TransactionStatus = 'I';
  private readOnly = false;

  get current(): TransactionStatus {
    return this.status;
  }

  /** BEGIN; a notice when a block is already open (as PostgreSQL warns). */
  begin(readOnly: boolean): string[] {
    if (this.status !== 'I') return ['there is already a transaction in progress'];
    this.status = 'T';
    this.readOnly = readOnly;
    return [];
  }

  /** COMMIT / ROLLBACK: returns the command tag (COMMIT of a failed block reports ROLLBACK). */
  end(commit: boolean): { tag: string; notices: string[] } {
    const failed = this.status === 'E';
    const notices = this.status === 'I' ? ['there is no transaction in progress'] : [];
    this.status = 'I';
    this.readOnly = false;
    return { tag: commit && !failed ? 'COMMIT' : 'ROLLBACK', notices };
  }

  failed(): void {
    if (this.status === 'T') this.status = 'E';
  }

  /** Throws 25P02 in a failed block (anything but COMMIT/ROLLBACK) and 25006 for writes in READ ONLY. */
  check(isEnd: boolean, isWrite: boolean, what: string): void {
    if (this.status === 'E' && !isEnd) {
      throw new DbError(SqlState.InFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    if (this.readOnly && isWrite) throw new DbError(SqlState.ReadOnlySqlTransaction, `cannot execute ${what} in a read-only transaction`);
  }
}
