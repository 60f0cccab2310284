import {
  compareDatum,
  createAccumulator,
  decodeRow,
  encodeRow,
  type AggCall,
  type AggOrderItem,
  type DataType,
  type Datum,
} from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';

/**
 * The state of one agg call in one group, persisted as one `bytea` column of the result table.
 *
 * - count_star / count / sum: the accumulator's own state encoding (`encodeState`).
 * - min / max: the current extreme as `encodeRow([argType], [value])`; the full multiset of values
 *   lives in the call's min/max table, which is consulted when the extreme is retracted.
 *
 * Callers skip NULL arguments (SQL aggregates ignore them); count_star gets `null` for every row.
 */
export interface AggState {
  apply(insert: boolean, value: Datum): void;
  output(): Datum;
  encode(): Uint8Array;
}

type Accumulator = ReturnType<typeof createAccumulator>;

class AccumulatorState implements AggState {
  constructor(private readonly acc: Accumulator) {}

  apply(insert: boolean, value: Datum): void {
    this.acc.apply(insert ? 'insert' : 'delete', value);
  }

  output(): Datum {
    return this.acc.output();
  }

  encode(): Uint8Array {
    return this.acc.encodeState();
  }
}

/** min/max: a cached extreme, valid unless the extreme itself was retracted. */
export class MinMaxState implements AggState {
  private valid = true;

  constructor(
    private readonly kind: 'min' | 'max',
    private readonly argType: DataType,
    private extreme: Datum,
  ) {}

  get needsRefresh(): boolean {
    return !this.valid;
  }

  apply(insert: boolean, value: Datum): void {
    if (!this.valid) return;
    if (insert) {
      if (this.extreme === null || this.better(value, this.extreme)) this.extreme = value;
    } else if (this.extreme !== null && compareDatum(this.argType, value, this.extreme) === 0) {
      this.valid = false;
    }
  }

  /**
   * Re-reads the extreme from `table` (pk = group key, arg in min/max order, stream key): the first
   * non-NULL arg under the group key prefix, per vnode when the prefix does not pin one.
   */
  async refresh(table: StateTable, groupKey: Datum[]): Promise<void> {
    const argIndex = groupKey.length;
    const vnode = table.vnodeOfPkPrefix(groupKey);
    let best: Datum = null;
    for (const vn of vnode === null ? table.vnodes : [vnode]) {
      for await (const row of table.iterWithPrefix(groupKey, vn)) {
        const v = row[argIndex];
        if (v === null) continue;
        if (best === null || this.better(v, best)) best = v;
        break;
      }
    }
    this.extreme = best;
    this.valid = true;
  }

  output(): Datum {
    if (!this.valid) throw new Error('min/max state read before refresh');
    return this.extreme;
  }

  encode(): Uint8Array {
    return encodeRow([this.argType], [this.output()]);
  }

  private better(a: Datum, b: Datum): boolean {
    const c = compareDatum(this.argType, a, b);
    return this.kind === 'min' ? c < 0 : c > 0;
  }
}

/**
 * string_agg: the current output, recomputed from the call's input table (columns: group key,
 * input stream key, value, delimiter, ORDER BY columns; pk = group key ++ stream key) whenever the
 * group saw a change. Rows are concatenated in ORDER BY order, ties (and no ORDER BY) by stream key.
 */
export class StringAggState implements AggState {
  private valid = true;

  constructor(
    private readonly call: AggCall,
    private readonly orderTypes: DataType[],
    private value: Datum,
  ) {}

  get needsRefresh(): boolean {
    return !this.valid;
  }

  apply(): void {
    this.valid = false;
  }

  async refresh(table: StateTable, groupKey: Datum[], streamKeyWidth: number): Promise<void> {
    const base = groupKey.length + streamKeyWidth;
    const vnode = table.vnodeOfPkPrefix(groupKey);
    const rows: Datum[][] = [];
    for (const vn of vnode === null ? table.vnodes : [vnode]) {
      for await (const row of table.iterWithPrefix(groupKey, vn)) rows.push(row);
    }
    const order = this.call.orderBy ?? [];
    if (order.length > 0) {
      rows.sort((a, b) => {
        for (let i = 0; i < order.length; i++) {
          const c = compareOrdered(this.orderTypes[i], order[i], a[base + 2 + i], b[base + 2 + i]);
          if (c !== 0) return c;
        }
        return 0;
      });
    }
    let out: string | null = null;
    for (const r of rows) {
      out = out === null ? (r[base] as string) : out + ((r[base + 1] as string | null) ?? '') + (r[base] as string);
    }
    this.value = out;
    this.valid = true;
  }

  output(): Datum {
    if (!this.valid) throw new Error('string_agg state read before refresh');
    return this.value;
  }

  encode(): Uint8Array {
    return encodeRow(['character varying'], [this.output()]);
  }
}

/** Compares two values under an ORDER BY item (direction and NULL placement). */
export function compareOrdered(type: DataType, o: AggOrderItem, a: Datum, b: Datum): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === o.nullsFirst ? -1 : 1;
  }
  const c = compareDatum(type, a, b);
  return o.order === 'desc' ? -c : c;
}

/** A fresh state, or the state decoded from its result-table column when `encoded` is given. */
export function createAggState(call: AggCall, encoded: Uint8Array | null, orderTypes: DataType[] = []): AggState {
  if (call.kind === 'string_agg') {
    return new StringAggState(call, orderTypes, encoded ? decodeRow(['character varying'], encoded)[0] : null);
  }
  if (call.kind === 'min' || call.kind === 'max') {
    const argType = call.argType!;
    const extreme = encoded ? decodeRow([argType], encoded)[0] : null;
    return new MinMaxState(call.kind, argType, extreme);
  }
  const acc = createAccumulator(call.kind, call.argType);
  if (encoded) acc.decodeState(encoded);
  return new AccumulatorState(acc);
}
