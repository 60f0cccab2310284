import type { Mutation } from '@tributary/common';
import type { MetaStoreOp } from '../meta-store/meta-store.ts';

/**
 * A configuration change that rides on one barrier (DDL). Hooks run inside the barrier loop, so
 * commands never interleave.
 */
export interface BarrierCommand {
  describe: string;
  /** Runs before the barrier is injected (e.g. build the new actors on compute nodes). */
  prepare(): Promise<void>;
  mutation(): Mutation | undefined;
  /**
   * When the command is done: 'curr' = once the barrier's curr epoch is committed (new actors
   * wrote their first epoch, e.g. backfill), 'prev' = with the commit this barrier completes.
   */
  finishAt: 'prev' | 'curr';
  /** Also required to finish, checked at each commit from `finishAt` on (e.g. backfill done). */
  ready?(): boolean;
  /**
   * Once its barrier committed, the command outlives this many recoveries instead of aborting
   * (its actors are rebuilt with the others and resume from their committed state, e.g. a
   * backfill from its saved positions). Bounded, so a job whose actors keep failing is dropped.
   */
  survivesRecoveries?: number;
  /** Meta-store ops committed in the same transaction as the finishing `epoch`. */
  finishOps(epoch: bigint): MetaStoreOp[];
  /** In-memory effects after that transaction, then the caller is answered. */
  afterFinish(epoch: bigint): void;
  /** Right after the barrier is sent (e.g. stopped actors leave the set to collect). */
  afterInject?(): void;
  /**
   * No other command is injected until this one finished (e.g. a rebalance: a backfill placed
   * next to a moved actor must not read before the hand-over epoch is committed).
   */
  exclusive?: boolean;
  /** The command could not complete (recovery); undo in-memory effects of prepare. */
  abort(err: Error): void;
}
