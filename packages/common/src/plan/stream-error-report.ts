/**
 * Data errors a streaming job met while evaluating expressions (division by zero, overflow, a bad
 * cast), which made the expression NULL for the rows concerned instead of failing the job. A
 * compute node counts them per job, fragment, executor and SQLSTATE and sends its totals to meta,
 * which serves them to `SHOW STREAM ERRORS` and `/metrics`.
 */
export interface StreamErrorReport {
  /** The streaming job (materialized view or table) the executor belongs to. */
  jobId: number;
  fragmentId: number;
  /** Executor kind: `Project`, `Filter`, `HashJoin`. */
  executor: string;
  /** SQLSTATE of the error. */
  code: string;
  /** The latest error's message. */
  message: string;
  /** Errors since the node started. */
  count: number;
  /** Wall-clock ms of the first and the latest error. */
  firstAt: number;
  lastAt: number;
}
