import {
  encodeMemcomparable,
  encodeRow,
  isInsertOp,
  Op,
  StreamChunk,
  StreamChunkBuilder,
  type AggCall,
  type DataType,
  type Datum,
  type Row,
} from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import { compareBytes, keyToString } from '../../state-table/state-table-key.ts';
import { createAggState, MinMaxState, StringAggState, type AggState } from './agg-state.ts';

/**
 * Shared core of hash and simple aggregation.
 *
 * Result table row (the planner sets its column types to match):
 *
 * ```
 * | group key columns... | row count (bigint) | agg state 0 (bytea) | ... | agg state n-1 (bytea) |
 * ```
 *
 * The row count is a hidden count(*) deciding whether a group exists. Each state column is
 * `AggState.encode()` of its call. min/max calls also keep every non-NULL (group key, arg, stream
 * key) in `minMaxTables[i]` (columns exactly: group key..., arg, input stream key...; pk = all of
 * them, arg ordered asc for min and desc for max) to find the next extreme after a retraction.
 *
 * 1. A chunk: load (result table) the groups it touches, apply every row to its group's states
 *    and min/max tables, mark the groups dirty.
 *    A call with FILTER sees only rows whose filter column is true. A DISTINCT call passes a value
 *    on only when its count in the call's distinct table goes 0 -> 1 (insert) or 1 -> 0 (delete).
 *    string_agg stores every non-NULL input row in its table and recomputes at the barrier.
 * 2. A barrier: for each dirty group refresh retracted extremes, compute outputs, compare with the
 *    persisted outputs, emit Insert / Delete / U-U+ and rewrite (or delete) its result row.
 */
export interface AggCoreParams {
  groupKey: number[];
  groupKeyTypes: DataType[];
  aggCalls: AggCall[];
  inputStreamKey: number[];
  resultTable: StateTable;
  minMaxTables: (StateTable | null)[];
  /** Per agg call: for DISTINCT count/sum, columns = group key, arg, count (pk = group key, arg). */
  distinctTables?: (StateTable | null)[];
  /** Input column types (ORDER BY columns of string_agg). */
  inputTypes?: DataType[];
  /** Simple agg: the one group's row exists from the first barrier on, even with no input rows. */
  alwaysOneRow: boolean;
  /** Clean groups kept in memory after a flush. */
  groupCacheMax?: number;
}

interface AggGroup {
  key: Datum[];
  rowCount: bigint;
  states: AggState[];
  /** Outputs as persisted in the result table; null when the group has no result row. */
  prevOutputs: Datum[] | null;
}

const DEFAULT_GROUP_CACHE = 100_000;

export class AggCore {
  private readonly groups = new Map<string, AggGroup>();
  private readonly dirty = new Map<string, AggGroup>();
  private readonly outputTypes: DataType[];
  private readonly width: number;
  private readonly tables: StateTable[];
  /** Per DISTINCT call: encoded (group key, value) -> count, write-through over its table. */
  private readonly distinctCaches: Map<string, bigint>[];
  private readonly orderTypes: DataType[][];

  constructor(private readonly p: AggCoreParams) {
    this.outputTypes = p.aggCalls.map((c) => c.returnType);
    this.width = p.groupKey.length + p.aggCalls.length;
    const distinct = p.distinctTables ?? [];
    this.tables = [p.resultTable, ...[...p.minMaxTables, ...distinct].filter((t): t is StateTable => t !== null)];
    this.distinctCaches = p.aggCalls.map(() => new Map());
    this.orderTypes = p.aggCalls.map((c) => (c.orderBy ?? []).map((o) => p.inputTypes?.[o.index] ?? 'character varying'));
  }

  init(epoch: bigint): void {
    for (const t of this.tables) t.init(epoch);
  }

  commit(barrier: Parameters<StateTable['commit']>[0]): void {
    for (const t of this.tables) t.commit(barrier);
  }

  /** Simple agg: make sure the single group is loaded, and dirty when it has no result row yet. */
  async ensureSingleGroup(): Promise<void> {
    const group = await this.loadGroup([], '');
    if (group.prevOutputs === null) this.dirty.set('', group);
  }

  async applyChunk(chunk: StreamChunk): Promise<void> {
    const n = chunk.cardinality;
    const keys = this.groupKeysOf(chunk);
    const rowGroups = new Array<AggGroup>(n);
    for (let i = 0; i < n; i++) {
      let group = this.dirty.get(keys[i]);
      if (!group) {
        group = await this.loadGroup(this.p.groupKey.map((c) => chunk.columns[c][i]), keys[i]);
        this.dirty.set(keys[i], group);
      }
      rowGroups[i] = group;
    }
    for (let i = 0; i < n; i++) rowGroups[i].rowCount += isInsertOp(chunk.ops[i]) ? 1n : -1n;
    for (let j = 0; j < this.p.aggCalls.length; j++) await this.applyCall(j, chunk, rowGroups);
  }

  /** Emits the changes of every dirty group and writes their result rows. */
  async *flush(): AsyncGenerator<StreamChunk> {
    const builder = new StreamChunkBuilder(this.width);
    for (const group of this.dirty.values()) {
      for (const row of await this.flushGroup(group)) {
        const full = builder.append(row[0] as number, row.slice(1));
        if (full) yield full;
      }
    }
    this.dirty.clear();
    const last = builder.take();
    if (last) yield last;
    this.evict();
  }

  /**
   * EMIT ON WINDOW CLOSE: every group (result row) for which `closed(key)` holds is emitted as an
   * Insert of its final outputs, and all its state (result row, min/max, string_agg and DISTINCT
   * rows) is deleted. Call after `flush()`, so result rows are current. Scans the result table:
   * it holds only open groups, which the watermark keeps few.
   */
  async *drainClosed(closed: (key: Datum[]) => boolean): AsyncGenerator<StreamChunk> {
    const k = this.p.groupKey.length;
    const victims: Row[] = [];
    for await (const row of this.p.resultTable.iterAll()) if (closed(row.slice(0, k))) victims.push(row);
    if (victims.length === 0) return;
    const builder = new StreamChunkBuilder(this.width);
    const inputTables = [...this.p.minMaxTables, ...(this.p.distinctTables ?? [])].filter((t): t is StateTable => t !== null);
    for (const row of victims) {
      const key = row.slice(0, k);
      this.p.resultTable.delete(row);
      for (const t of inputTables) {
        const rows: Row[] = [];
        for await (const r of t.iterWithPrefix(key)) rows.push(r);
        for (const r of rows) t.delete(r);
      }
      const keyStr = keyToString(encodeMemcomparable(this.p.groupKeyTypes, this.p.groupKeyTypes.map(() => 'asc' as const), key));
      this.groups.delete(keyStr);
      if ((row[k] as bigint) <= 0n) continue;
      const outputs = this.p.aggCalls.map((c, j) => createAggState(c, row[k + 1 + j] as Uint8Array, this.orderTypes[j]).output());
      const full = builder.append(Op.Insert, [...key, ...outputs]);
      if (full) yield full;
    }
    for (const c of this.distinctCaches) c.clear();
    const last = builder.take();
    if (last) yield last;
  }

  private async applyCall(j: number, chunk: StreamChunk, rowGroups: AggGroup[]): Promise<void> {
    const call = this.p.aggCalls[j];
    const n = chunk.cardinality;
    const filter = call.filter === undefined || call.filter === null ? null : chunk.columns[call.filter];
    if (call.kind === 'count_star') {
      for (let i = 0; i < n; i++) {
        if (filter === null || filter[i] === true) rowGroups[i].states[j].apply(isInsertOp(chunk.ops[i]), null);
      }
      return;
    }
    const arg = chunk.columns[call.arg!];
    const table = this.p.minMaxTables[j] ?? null;
    const distinct = this.p.distinctTables?.[j] ?? null;
    for (let i = 0; i < n; i++) {
      const v = arg[i];
      if (v === null || (filter !== null && filter[i] !== true)) continue;
      const insert = isInsertOp(chunk.ops[i]);
      const group = rowGroups[i];
      if (distinct && !(await this.dedup(j, distinct, group.key, v, insert))) continue;
      group.states[j].apply(insert, v);
      if (table) {
        const entry = this.inputEntry(call, group.key, v, chunk, i);
        if (insert) table.insert(entry);
        else table.delete(entry);
      }
    }
  }

  /** A row of a call's input table: min/max (key, arg, stream key); string_agg (key, stream key, value, delimiter, order). */
  private inputEntry(call: AggCall, key: Datum[], v: Datum, chunk: StreamChunk, i: number): Row {
    const streamKey = this.p.inputStreamKey.map((c) => chunk.columns[c][i]);
    if (call.kind !== 'string_agg') return [...key, v, ...streamKey];
    const delimiter = call.delimiter === undefined || call.delimiter === null ? null : chunk.columns[call.delimiter][i];
    return [...key, ...streamKey, v, delimiter, ...(call.orderBy ?? []).map((o) => chunk.columns[o.index][i])];
  }

  /** Counts `v` in the group's distinct table; true when the call must see the change. */
  private async dedup(j: number, table: StateTable, key: Datum[], v: Datum, insert: boolean): Promise<boolean> {
    const pk = [...key, v];
    const cache = this.distinctCaches[j];
    const k = keyToString(table.encodePk(pk));
    let count = cache.get(k);
    if (count === undefined) {
      const row = await table.get(pk);
      count = row ? (row[pk.length] as bigint) : 0n;
    }
    const next = count + (insert ? 1n : -1n);
    cache.set(k, next);
    if (next === 0n) table.delete([...pk, count]);
    else if (count === 0n) table.insert([...pk, next]);
    else table.update([...pk, count], [...pk, next]);
    return insert ? count === 0n : next === 0n;
  }

  /** Output rows `[op, ...key, ...outputs]` of one dirty group; updates its persisted state. */
  private async flushGroup(group: AggGroup): Promise<Row[]> {
    for (let j = 0; j < group.states.length; j++) {
      const s = group.states[j];
      if (s instanceof MinMaxState && s.needsRefresh) await s.refresh(this.p.minMaxTables[j]!, group.key);
      if (s instanceof StringAggState && s.needsRefresh) {
        await s.refresh(this.p.minMaxTables[j]!, group.key, this.p.inputStreamKey.length);
      }
    }
    const exists = this.p.alwaysOneRow || group.rowCount > 0n;
    const prev = group.prevOutputs;
    if (!exists) {
      if (prev === null) return [];
      this.p.resultTable.delete(this.resultRow(group));
      group.prevOutputs = null;
      return [[Op.Delete, ...group.key, ...prev]];
    }
    const outputs = group.states.map((s) => s.output());
    this.p.resultTable.insert(this.resultRow(group));
    group.prevOutputs = outputs;
    if (prev === null) return [[Op.Insert, ...group.key, ...outputs]];
    if (this.sameOutputs(prev, outputs)) return [];
    return [
      [Op.UpdateDelete, ...group.key, ...prev],
      [Op.UpdateInsert, ...group.key, ...outputs],
    ];
  }

  private resultRow(group: AggGroup): Row {
    return [...group.key, group.rowCount, ...group.states.map((s) => s.encode())];
  }

  private async loadGroup(key: Datum[], keyStr: string): Promise<AggGroup> {
    const cached = this.groups.get(keyStr);
    if (cached) {
      this.groups.delete(keyStr);
      this.groups.set(keyStr, cached);
      return cached;
    }
    const row = await this.p.resultTable.get(key);
    const k = key.length;
    const group: AggGroup = row
      ? {
          key,
          rowCount: row[k] as bigint,
          states: this.p.aggCalls.map((c, j) => createAggState(c, row[k + 1 + j] as Uint8Array, this.orderTypes[j])),
          prevOutputs: null,
        }
      : { key, rowCount: 0n, states: this.p.aggCalls.map((c, j) => createAggState(c, null, this.orderTypes[j])), prevOutputs: null };
    if (row) group.prevOutputs = group.states.map((s) => s.output());
    this.groups.set(keyStr, group);
    return group;
  }

  private groupKeysOf(chunk: StreamChunk): string[] {
    const n = chunk.cardinality;
    const keys = new Array<string>(n);
    const gk = this.p.groupKey;
    if (gk.length === 0) return keys.fill('');
    const orders = gk.map(() => 'asc' as const);
    for (let i = 0; i < n; i++) {
      keys[i] = keyToString(encodeMemcomparable(this.p.groupKeyTypes, orders, gk.map((c) => chunk.columns[c][i])));
    }
    return keys;
  }

  private sameOutputs(a: Datum[], b: Datum[]): boolean {
    return compareBytes(encodeRow(this.outputTypes, a), encodeRow(this.outputTypes, b)) === 0;
  }

  private evict(): void {
    const max = this.p.groupCacheMax ?? DEFAULT_GROUP_CACHE;
    for (const k of this.groups.keys()) {
      if (this.groups.size <= max) break;
      this.groups.delete(k);
    }
    for (const c of this.distinctCaches) if (c.size > max) c.clear();
  }
}
