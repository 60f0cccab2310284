import { DbError, SqlState, literalDatum, notSupported, type Expr, type Interval, type Literal } from '@tributary/common';

/** `scope[column] op now() + offsetMicros`: one temporal filter of a WHERE clause. */
export interface TemporalFilter {
  column: number;
  op: '>' | '>=';
  offsetMicros: bigint;
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Functions of the current time: only now() has a meaning in a view (a temporal filter). */
const CLOCK_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp', 'clock_timestamp']);

/** True when `e` calls now() (or another clock function) anywhere. */
export function callsNow(e: Expr): boolean {
  return e.kind === 'call' && (CLOCK_FUNCTIONS.has(e.func) || e.args.some(callsNow));
}

/**
 * Reads a WHERE conjunct that calls now() as a temporal filter (RisingWave's): `col > now()`,
 * `col >= now() - INTERVAL '1 hour'`, `col + INTERVAL '1 hour' > now()`, or the same mirrored
 * (`now() - ... < col`). Only lower bounds on a column are supported (the rows a view keeps then
 * only ever expire); anything else is 0A000.
 */
export function temporalFilterOf(conjunct: Expr): TemporalFilter {
  const unsupported = (): never => {
    throw notSupported('this use of now() in a materialized view', "Use it as a temporal filter in WHERE: col > now() - INTERVAL '1 hour' (or >=).");
  };
  if (conjunct.kind !== 'call' || conjunct.args.length !== 2 || !(conjunct.func in FLIP)) return unsupported();
  let [l, r] = conjunct.args;
  let op = conjunct.func;
  if (callsNow(l) && !callsNow(r)) {
    [l, r] = [r, l];
    op = FLIP[op];
  }
  if (op !== '>' && op !== '>=') {
    throw notSupported(`temporal filter with ${op} now()`, 'Only lower bounds are supported: col > now() - INTERVAL ... (rows expire as now() advances).');
  }
  // now() cast to a date or time (CURRENT_DATE) truncates it: not a plain bound.
  const bound = offsetOf(uncastTimestamp(r), true) ?? unsupported();
  const left = uncast(l);
  let column: number;
  let offset = bound.offset;
  if (left.kind === 'input') column = left.index;
  else {
    const shifted = offsetOf(left, false) ?? unsupported();
    column = shifted.column!;
    offset -= shifted.offset;
  }
  return { column, op, offsetMicros: offset };
}

function uncast(e: Expr): Expr {
  return e.kind === 'call' && e.func === 'cast' ? uncast(e.args[0]) : e;
}

/** Strips casts between timestamp types only (a cast to date or time changes the value). */
function uncastTimestamp(e: Expr): Expr {
  return e.kind === 'call' && e.func === 'cast' && e.type.startsWith('timestamp') ? uncastTimestamp(e.args[0]) : e;
}

/** `now()` / `now() ± interval` (wantNow) or `input ± interval`: the base and the signed offset. */
function offsetOf(e: Expr, wantNow: boolean): { column?: number; offset: bigint } | null {
  const isBase = (x: Expr): boolean => (wantNow ? x.kind === 'call' && x.func === 'now' : x.kind === 'input');
  const base = (x: Expr): { column?: number; offset: bigint } => ({ column: x.kind === 'input' ? x.index : undefined, offset: 0n });
  if (isBase(e)) return base(e);
  if (e.kind !== 'call' || (e.func !== '+' && e.func !== '-') || e.args.length !== 2) return null;
  const [a, b] = e.args.map(uncast);
  if (isBase(a) && b.kind === 'literal' && b.type === 'interval') {
    const micros = intervalMicros(b);
    return { ...base(a), offset: e.func === '+' ? micros : -micros };
  }
  if (e.func === '+' && isBase(b) && a.kind === 'literal' && a.type === 'interval') return { ...base(b), offset: intervalMicros(a) };
  return null;
}

function intervalMicros(lit: Literal): bigint {
  const v = literalDatum(lit) as Interval | null;
  if (v === null) throw new DbError(SqlState.InvalidParameterValue, 'a temporal filter interval must not be NULL');
  return v.span();
}
