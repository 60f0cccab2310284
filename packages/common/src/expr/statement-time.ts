/**
 * The start time of the running statement, as PostgreSQL's `now()` / `CURRENT_TIMESTAMP` return
 * it: fixed for the whole statement (every row of a query sees the same value), in microseconds
 * since 1970. The frontend installs the provider (its session context knows when the statement
 * began); elsewhere, and outside a statement, it is the wall clock.
 */
let provider: () => bigint | null = () => null;

export function setStatementTimeProvider(p: () => bigint | null): void {
  provider = p;
}

/** Wall clock in microseconds since 1970 (PG's clock_timestamp()). */
export function wallClockMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

export function statementTimeMicros(): bigint {
  return provider() ?? wallClockMicros();
}
