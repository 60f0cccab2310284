import type { DataType } from '@tributary/common';

/**
 * Types that `$n` parameters take while a statement is prepared (extended protocol, Parse).
 * While `inferParamTypes` runs, the binder binds `$n` as an untyped placeholder (like a NULL of
 * PostgreSQL's `unknown` type) and records the type the context coerces it to. Binding is
 * synchronous, so one active collector at a time is enough.
 */
let active: Map<number, DataType> | null = null;

/** Runs `bind` collecting parameter types (1-based index -> type). */
export function inferParamTypes<T>(bind: () => T): { result: T; types: Map<number, DataType> } {
  const outer = active;
  const types = new Map<number, DataType>();
  active = types;
  try {
    return { result: bind(), types };
  } finally {
    active = outer;
  }
}

/** Whether parameters may be bound as placeholders now. */
export function inferringParams(): boolean {
  return active !== null;
}

/** Records the first type parameter `index` is coerced to. */
export function noteParamType(index: number, type: DataType): void {
  if (active && !active.has(index)) active.set(index, type);
}
