import {
  computeVnode,
  decodeRow,
  encodeMemcomparable,
  encodeRow,
  type Barrier,
  type DataType,
  type Datum,
  type Row,
  type StateTableDesc,
} from '@tributary/common';
import type { StateStore } from './state-store.ts';
import { keyToString, prefixEnd, stateKey, tablePrefix, vnodePrefix } from './state-table-key.ts';

interface BufferEntry {
  key: Uint8Array;
  /** null = delete. */
  row: Row | null;
}

/**
 * One table's rows in the state store, as seen by one actor (which owns `vnodes`).
 *
 * 1. Writes of the current epoch go to an in-memory buffer keyed by storage key; a later write of
 *    the same pk replaces the earlier one.
 * 2. Reads merge the buffer over the store at the read epoch (the last sealed epoch).
 * 3. `commit(barrier)` hands the buffer to the store as one batch at `barrier.prevEpoch` and moves
 *    the read epoch there.
 *
 * Precondition: `init(epoch)` before any read; rows written belong to owned vnodes.
 */
export class StateTable {
  readonly tableId: number;
  readonly pkTypes: DataType[];
  private readonly distKeyTypes: DataType[];
  /** For each dist key column, its position in the pk, or -1 when it is not a pk column. */
  private readonly distKeyInPk: number[];
  private readonly pkOrders: ('asc' | 'desc')[];
  private readonly buffer = new Map<string, BufferEntry>();
  private readEpoch: bigint | null = null;

  constructor(
    readonly desc: StateTableDesc,
    private readonly store: StateStore,
    readonly vnodes: number[],
  ) {
    this.tableId = desc.tableId;
    this.pkTypes = desc.pk.map((i) => desc.columns[i]);
    this.pkOrders = desc.pk.map((_, i) => desc.pkOrders[i] ?? 'asc');
    this.distKeyTypes = desc.distKey.map((i) => desc.columns[i]);
    this.distKeyInPk = desc.distKey.map((i) => desc.pk.indexOf(i));
    this.vnodes = [...vnodes].sort((a, b) => a - b);
  }

  /** Sets the epoch reads see: the last sealed epoch (the first barrier's `prevEpoch`). */
  init(epoch: bigint): void {
    this.readEpoch = epoch;
  }

  get epoch(): bigint {
    if (this.readEpoch === null) throw new Error(`state table ${this.desc.name}: read before init`);
    return this.readEpoch;
  }

  /** True when there are uncommitted writes. */
  get isDirty(): boolean {
    return this.buffer.size > 0;
  }

  pkOf(row: Row): Datum[] {
    return this.desc.pk.map((i) => row[i]);
  }

  /** The vnode of a full row. */
  vnodeOfRow(row: Row): number {
    if (this.desc.distKey.length === 0) return 0;
    return computeVnode(this.distKeyTypes, this.desc.distKey.map((i) => row[i]), this.desc.distKeyIsRowId);
  }

  /**
   * The vnode of the rows whose pk starts with `prefix`, or null when the dist key is not within
   * the prefix (rows may then be in any vnode).
   */
  vnodeOfPkPrefix(prefix: Datum[]): number | null {
    if (this.desc.distKey.length === 0) return 0;
    const datums: Datum[] = [];
    for (const pos of this.distKeyInPk) {
      if (pos < 0 || pos >= prefix.length) return null;
      datums.push(prefix[pos]);
    }
    return computeVnode(this.distKeyTypes, datums, this.desc.distKeyIsRowId);
  }

  /** Memcomparable encoding of (a prefix of) the pk. */
  encodePk(pkDatums: Datum[]): Uint8Array {
    const k = pkDatums.length;
    return encodeMemcomparable(this.pkTypes.slice(0, k), this.pkOrders.slice(0, k), pkDatums);
  }

  insert(row: Row): void {
    const key = this.keyOfRow(row);
    this.buffer.set(keyToString(key), { key, row });
  }

  delete(row: Row): void {
    const key = this.keyOfRow(row);
    this.buffer.set(keyToString(key), { key, row: null });
  }

  update(oldRow: Row, newRow: Row): void {
    const oldKey = this.keyOfRow(oldRow);
    const newKey = this.keyOfRow(newRow);
    const oldStr = keyToString(oldKey);
    const newStr = keyToString(newKey);
    if (oldStr !== newStr) this.buffer.set(oldStr, { key: oldKey, row: null });
    this.buffer.set(newStr, { key: newKey, row: newRow });
  }

  /** The row with this pk: the uncommitted buffer first, then the store at the read epoch. */
  async get(pkDatums: Datum[]): Promise<Row | null> {
    const vnode = this.vnodeOfPkPrefix(pkDatums);
    const pk = this.encodePk(pkDatums);
    const candidates = vnode === null ? this.vnodes : [vnode];
    for (const v of candidates) {
      const key = stateKey(this.tableId, v, pk);
      const buffered = this.buffer.get(keyToString(key));
      if (buffered) {
        if (buffered.row) return buffered.row;
        continue;
      }
      const bytes = await this.store.get(key, this.epoch);
      if (bytes) return decodeRow(this.desc.columns, bytes);
    }
    return null;
  }

  /**
   * Rows whose pk starts with `prefix` (the first k pk columns), in pk order within each vnode.
   * Iterates `vnode` if given, else the prefix's vnode when the dist key is within the prefix,
   * else every owned vnode in ascending order.
   */
  async *iterWithPrefix(prefix: Datum[], vnode?: number): AsyncGenerator<Row> {
    const v = vnode ?? this.vnodeOfPkPrefix(prefix);
    const pk = this.encodePk(prefix);
    for (const vn of v === null ? this.vnodes : [v]) {
      yield* this.iterRange(stateKey(this.tableId, vn, pk));
    }
  }

  /**
   * Rows of `vnode` whose encoded pk (see `encodePk`) sorts after `afterPk` (all rows when null),
   * in pk order: a backfill resuming behind its last position.
   */
  async *iterVnodeAfter(vnode: number, afterPk: Uint8Array | null): AsyncGenerator<Row> {
    yield* this.iterRange(vnodePrefix(this.tableId, vnode), afterPk === null ? undefined : successor(stateKey(this.tableId, vnode, afterPk)));
  }

  /** The number of stored rows `iterVnodeAfter` would yield, counted without decoding (no buffer). */
  async countVnodeAfter(vnode: number, afterPk: Uint8Array | null): Promise<number> {
    const prefix = vnodePrefix(this.tableId, vnode);
    const start = afterPk === null ? prefix : successor(stateKey(this.tableId, vnode, afterPk));
    let n = 0;
    for await (const _ of this.store.iter(start, prefixEnd(prefix), this.epoch)) n++;
    return n;
  }

  /** Every row of the owned vnodes. */
  async *iterAll(): AsyncGenerator<Row> {
    for (const vn of this.vnodes) yield* this.iterRange(vnodePrefix(this.tableId, vn));
  }

  /**
   * Every committed row of the whole table at the read epoch, all vnodes (also those of other
   * actors: what they sealed so far on this node, or what meta committed), then none of this
   * actor's buffered writes. For small shared tables (watermarks) only.
   */
  async *iterWholeTable(): AsyncGenerator<Row> {
    const start = tablePrefix(this.tableId);
    for await (const [, value] of this.store.iter(start, prefixEnd(start), this.epoch)) yield decodeRow(this.desc.columns, value);
  }

  /** Seals the buffered writes as one batch at `barrier.prevEpoch`; reads then see that epoch. */
  commit(barrier: Barrier): void {
    if (this.buffer.size > 0) {
      const entries = [...this.buffer.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const kvs: Array<[Uint8Array, Uint8Array | null]> = entries.map(([, e]) => [
        e.key,
        e.row ? encodeRow(this.desc.columns, e.row) : null,
      ]);
      this.store.ingestBatch(barrier.prevEpoch, kvs);
      this.buffer.clear();
    }
    this.readEpoch = barrier.prevEpoch;
  }

  private keyOfRow(row: Row): Uint8Array {
    return stateKey(this.tableId, this.vnodeOfRow(row), this.encodePk(this.pkOf(row)));
  }

  /** Merges the buffer (wins on equal keys) over the store, for keys starting with `prefix` from `from` on. */
  private async *iterRange(prefix: Uint8Array, from: Uint8Array = prefix): AsyncGenerator<Row> {
    const startStr = keyToString(from);
    const end = prefixEnd(prefix);
    const endStr = end === null ? null : keyToString(end);
    const buffered: Array<[string, BufferEntry]> = [];
    for (const entry of this.buffer) {
      if (entry[0] >= startStr && (endStr === null || entry[0] < endStr)) buffered.push(entry);
    }
    buffered.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let bi = 0;
    for await (const [key, value] of this.store.iter(from, end, this.epoch)) {
      const keyStr = keyToString(key);
      while (bi < buffered.length && buffered[bi][0] < keyStr) {
        const row = buffered[bi++][1].row;
        if (row) yield row;
      }
      if (bi < buffered.length && buffered[bi][0] === keyStr) {
        const row = buffered[bi++][1].row;
        if (row) yield row;
        continue;
      }
      yield decodeRow(this.desc.columns, value);
    }
    while (bi < buffered.length) {
      const row = buffered[bi++][1].row;
      if (row) yield row;
    }
  }
}

/** The smallest key greater than `key` (memcomparable pks are prefix-free). */
function successor(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
}
