/**
 * One backfilling actor's progress as of a barrier: a table scan reports it to its node, the node
 * to meta with the barrier's completion, and meta's job tracker sums it per job (SHOW JOBS).
 */
export interface ActorBackfillProgress {
  actorId: number;
  /** Snapshot rows sent so far. */
  consumedRows: number;
  /** consumedRows + the rows left when the actor started (an estimate: the table changes). */
  totalRows: number;
  done: boolean;
}
