import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { Decimal } from '../types/decimal.ts';
import { Interval } from '../types/interval.ts';
import { compareDatum } from '../types/compare.ts';
import { datumFromJson, datumToJson } from '../types/datum-json.ts';
import { decodeRow, encodeRow } from '../row/row-codec.ts';

/**
 * Aggregate signatures (PG return types) and retractable accumulators for streaming aggregation.
 * `avg` is planned as sum / count, so it only needs its return type here.
 */
/** Aggregate names; `count_star` is count(*) (the plan's AggCall kind). */
export type AggFuncName = 'count_star' | 'count' | 'sum' | 'min' | 'max' | 'avg' | 'bool_and' | 'bool_or' | 'string_agg';

export interface AggSignature {
  returnType: DataType;
  /** Type of the running value (the sum, the count, the current min/max). */
  stateType: DataType;
}

const SUM_RETURN: Partial<Record<DataType, DataType>> = {
  smallint: 'bigint',
  integer: 'bigint',
  bigint: 'numeric',
  numeric: 'numeric',
  real: 'real',
  'double precision': 'double precision',
  interval: 'interval',
};

const AVG_RETURN: Partial<Record<DataType, DataType>> = {
  smallint: 'numeric',
  integer: 'numeric',
  bigint: 'numeric',
  numeric: 'numeric',
  real: 'double precision',
  'double precision': 'double precision',
  interval: 'interval',
};

const MIN_MAX_TYPES = new Set<DataType>([
  'smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric', 'character varying', 'date',
  'time without time zone', 'timestamp without time zone', 'timestamp with time zone', 'interval',
]);

function noSuchAggregate(name: string, argType: DataType | null): DbError {
  return new DbError(SqlState.UndefinedFunction, `function ${name}(${argType ?? '*'}) does not exist`, {
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

/** PG's aggregate result types. `argType` null means `count(*)`. */
export function resolveAgg(name: AggFuncName, argType: DataType | null): AggSignature {
  if (name === 'count' || name === 'count_star') return { returnType: 'bigint', stateType: 'bigint' };
  if (argType === null) throw noSuchAggregate(name, argType);
  switch (name) {
    case 'sum': {
      const t = SUM_RETURN[argType];
      if (t === undefined) throw noSuchAggregate(name, argType);
      return { returnType: t, stateType: t };
    }
    case 'avg': {
      const t = AVG_RETURN[argType];
      if (t === undefined) throw noSuchAggregate(name, argType);
      return { returnType: t, stateType: SUM_RETURN[argType]! };
    }
    case 'min':
    case 'max':
      if (!MIN_MAX_TYPES.has(argType)) throw noSuchAggregate(name, argType);
      return { returnType: argType, stateType: argType };
    case 'bool_and':
    case 'bool_or':
      if (argType !== 'boolean') throw noSuchAggregate(name, argType);
      return { returnType: 'boolean', stateType: 'bigint' };
    case 'string_agg':
      if (argType !== 'character varying') throw noSuchAggregate(name, argType);
      return { returnType: 'character varying', stateType: 'character varying' };
  }
}

export type AggOp = 'insert' | 'delete';

/** A retractable accumulator for one group. */
export interface Accumulator {
  /** Types of the state row (`encodeState` is `encodeRow(stateTypes, stateRow())`). */
  readonly stateTypes: readonly DataType[];
  apply(op: AggOp, value: Datum): void;
  output(): Datum;
  /** The state as a row of `stateTypes`. */
  stateRow(): Datum[];
  loadStateRow(state: readonly Datum[]): void;
  /** The state as bytes (row value encoding of `stateRow()`). */
  encodeState(): Uint8Array;
  decodeState(bytes: Uint8Array): void;
}


/**
 * `count_star` (or `count` with a null `argType`) counts every row including NULL values; the
 * others ignore NULL values.
 */
export function createAccumulator(name: AggFuncName, argType: DataType | null): Accumulator {
  const sig = resolveAgg(name, argType);
  switch (name) {
    case 'count_star': return new CountAccumulator(true);
    case 'count': return new CountAccumulator(argType === null);
    case 'sum': return new SumAccumulator(argType!, sig.returnType);
    case 'min': return new MinMaxAccumulator(argType!, -1);
    case 'max': return new MinMaxAccumulator(argType!, 1);
    case 'bool_and': return new BoolAccumulator(true);
    case 'bool_or': return new BoolAccumulator(false);
    case 'avg':
      throw new DbError(SqlState.InternalError, 'avg is planned as sum / count and has no accumulator');
    case 'string_agg':
      throw new DbError(SqlState.InternalError, 'string_agg keeps its input in a state table and has no accumulator');
  }
}

/**
 * bool_and / bool_or with retraction: counts of true and false inputs. bool_and is true when no
 * false input is left, bool_or when some true input is; NULL with no non-NULL input.
 */
class BoolAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = ['bigint', 'bigint'];
  private trues = 0n;
  private falses = 0n;

  constructor(private readonly isAnd: boolean) {}

  apply(op: AggOp, value: Datum): void {
    if (value === null) return;
    const d = op === 'insert' ? 1n : -1n;
    if (value === true) this.trues += d;
    else this.falses += d;
  }

  output(): Datum {
    if (this.trues + this.falses === 0n) return null;
    return this.isAnd ? this.falses === 0n : this.trues > 0n;
  }

  stateRow(): Datum[] {
    return [this.trues, this.falses];
  }

  loadStateRow(state: readonly Datum[]): void {
    this.trues = state[0] as bigint;
    this.falses = state[1] as bigint;
  }

  encodeState(): Uint8Array {
    return encodeRow(this.stateTypes, this.stateRow());
  }

  decodeState(bytes: Uint8Array): void {
    this.loadStateRow(decodeRow(this.stateTypes, bytes));
  }
}

class CountAccumulator implements Accumulator {
  encodeState(): Uint8Array {
    return encodeRow(this.stateTypes, this.stateRow());
  }

  decodeState(bytes: Uint8Array): void {
    this.loadStateRow(decodeRow(this.stateTypes, bytes));
  }

  readonly stateTypes: readonly DataType[] = ['bigint'];
  private count = 0n;

  constructor(private readonly countStar: boolean) {}

  apply(op: AggOp, value: Datum): void {
    if (value === null && !this.countStar) return;
    this.count += op === 'insert' ? 1n : -1n;
  }

  output(): Datum {
    return this.count;
  }

  stateRow(): Datum[] {
    return [this.count];
  }

  loadStateRow(state: readonly Datum[]): void {
    this.count = state[0] as bigint;
  }
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * sum with retraction. Keeps the number of non-NULL inputs so that deleting back to zero of them
 * outputs NULL. Integer sums accumulate in an unbounded bigint (range checked on output for
 * sum(int) -> bigint); numeric exactly; floats in their own precision.
 */
class SumAccumulator implements Accumulator {
  encodeState(): Uint8Array {
    return encodeRow(this.stateTypes, this.stateRow());
  }

  decodeState(bytes: Uint8Array): void {
    this.loadStateRow(decodeRow(this.stateTypes, bytes));
  }

  readonly stateTypes: readonly DataType[];
  private sum: Datum;
  private nonNull = 0n;

  constructor(
    private readonly argType: DataType,
    private readonly returnType: DataType,
  ) {
    this.stateTypes = [returnType === 'bigint' ? 'numeric' : returnType, 'bigint'];
    this.sum = this.zero();
  }

  private zero(): Datum {
    switch (this.argType) {
      case 'smallint':
      case 'integer':
      case 'bigint': return 0n;
      case 'numeric': return Decimal.ZERO;
      case 'interval': return Interval.ZERO;
      default: return 0;
    }
  }

  apply(op: AggOp, value: Datum): void {
    if (value === null) return;
    const sign = op === 'insert' ? 1 : -1;
    this.nonNull += BigInt(sign);
    switch (this.argType) {
      case 'smallint':
      case 'integer':
        this.sum = (this.sum as bigint) + BigInt(sign * (value as number));
        break;
      case 'bigint':
        this.sum = sign > 0 ? (this.sum as bigint) + (value as bigint) : (this.sum as bigint) - (value as bigint);
        break;
      case 'numeric':
        this.sum = sign > 0 ? (this.sum as Decimal).add(value as Decimal) : (this.sum as Decimal).sub(value as Decimal);
        break;
      case 'interval':
        this.sum = sign > 0 ? (this.sum as Interval).add(value as Interval) : (this.sum as Interval).sub(value as Interval);
        break;
      case 'real':
        this.sum = Math.fround((this.sum as number) + sign * (value as number));
        break;
      default:
        this.sum = (this.sum as number) + sign * (value as number);
    }
    if (this.nonNull === 0n) this.sum = this.zero();
  }

  output(): Datum {
    if (this.nonNull === 0n) return null;
    if (this.returnType === 'bigint') {
      const v = this.sum as bigint;
      if (v < I64_MIN || v > I64_MAX) throw new DbError(SqlState.NumericValueOutOfRange, 'bigint out of range');
      return v;
    }
    if (this.returnType === 'numeric' && typeof this.sum === 'bigint') return Decimal.fromBigInt(this.sum);
    return this.sum;
  }

  stateRow(): Datum[] {
    const s = typeof this.sum === 'bigint' ? Decimal.fromBigInt(this.sum) : this.sum;
    return [s, this.nonNull];
  }

  loadStateRow(state: readonly Datum[]): void {
    const s = state[0];
    this.sum = s instanceof Decimal && typeof this.zero() === 'bigint' ? s.toBigIntTrunc() : s;
    this.nonNull = state[1] as bigint;
  }
}

/**
 * min/max with retraction: a sorted multiset of the non-NULL inputs (value -> count). State is the
 * multiset as JSON text: `[[datumToJson, count], ...]`.
 */
class MinMaxAccumulator implements Accumulator {
  encodeState(): Uint8Array {
    return encodeRow(this.stateTypes, this.stateRow());
  }

  decodeState(bytes: Uint8Array): void {
    this.loadStateRow(decodeRow(this.stateTypes, bytes));
  }

  readonly stateTypes: readonly DataType[] = ['character varying'];
  private values: Datum[] = [];
  private counts: number[] = [];

  constructor(
    private readonly type: DataType,
    private readonly direction: 1 | -1,
  ) {}

  /** Index of the first value >= v. */
  private lowerBound(v: Datum): number {
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareDatum(this.type, this.values[mid], v) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  apply(op: AggOp, value: Datum): void {
    if (value === null) return;
    const i = this.lowerBound(value);
    const found = i < this.values.length && compareDatum(this.type, this.values[i], value) === 0;
    if (op === 'insert') {
      if (found) this.counts[i]++;
      else {
        this.values.splice(i, 0, value);
        this.counts.splice(i, 0, 1);
      }
      return;
    }
    if (!found) throw new DbError(SqlState.InternalError, `${this.direction > 0 ? 'max' : 'min'} state: deleting a value never inserted`);
    if (--this.counts[i] === 0) {
      this.values.splice(i, 1);
      this.counts.splice(i, 1);
    }
  }

  output(): Datum {
    if (this.values.length === 0) return null;
    return this.direction > 0 ? this.values[this.values.length - 1] : this.values[0];
  }

  stateRow(): Datum[] {
    return [JSON.stringify(this.values.map((v, i) => [datumToJson(this.type, v), this.counts[i]]))];
  }

  loadStateRow(state: readonly Datum[]): void {
    const entries = JSON.parse(state[0] as string) as [unknown, number][];
    this.values = entries.map(([v]) => datumFromJson(this.type, v));
    this.counts = entries.map(([, c]) => c);
  }
}
