import {
  Op, StreamChunkBuilder, isInsertOp, type Barrier, type ColumnEvaluator, type DataType, type Datum, type JoinType,
  type Row, type StreamChunk,
} from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import { keyToString } from '../../state-table/state-table-key.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

export interface HashJoinParams {
  left: Executor;
  right: Executor;
  joinType: JoinType;
  leftKeys: number[];
  rightKeys: number[];
  /** Non-equi condition over left ++ right; null = always true. */
  condition: ColumnEvaluator | null;
  /** Input row ++ degree (bigint); pk = join key ++ stream key; dist key = join key. */
  leftTable: StateTable;
  rightTable: StateTable;
  /** Join keys cached in memory per side (LRU). */
  cacheKeysMax?: number;
}

const DEFAULT_CACHE_KEYS = 10_000;

/** One side's state: its table, a cache of join key -> (pk -> row with degree), its key columns. */
interface Side {
  table: StateTable;
  keys: number[];
  width: number;
  /** Unmatched rows of this side appear NULL-padded (left side of LEFT/FULL, right of RIGHT/FULL). */
  outer: boolean;
  /** The stored degree is kept up to date (outer sides, the left side of semi/anti joins). */
  tracked: boolean;
  cache: Map<string, Map<string, Row>>;
}

/**
 * Streaming equi-join with retractions (RisingWave's HashJoinExecutor):
 *
 * 1. The two inputs are read concurrently; a barrier from one input blocks it until the other
 *    delivers the same barrier (alignment). Then both state tables commit and the barrier goes on.
 * 2. A row arriving on side S probes the other side O's rows with the same join key (cache, else a
 *    prefix scan of O's table), keeps those passing `condition`, and emits one joined row per match
 *    with the row's op (updates become Delete + Insert).
 * 3. Degrees: every stored row carries its number of matches. When an O row that is shown
 *    NULL-padded (outer, degree 0) gains a match, its padded row is deleted first; when it loses
 *    its last match, the padded row is inserted again. An S row with no match on an outer side is
 *    emitted NULL-padded itself. Rows with a NULL in the key never match and are not stored.
 * 4. Semi/anti joins output left rows only and track the left degree: a left row is shown while its
 *    degree is > 0 (semi) or = 0 (anti), so a right row taking a left degree 0 -> 1 inserts (semi)
 *    or deletes (anti) that left row, and 1 -> 0 does the opposite. A left row with a NULL key has
 *    no match: anti joins show it.
 */
export class HashJoinExecutor implements Executor {
  identity = 'HashJoin';
  readonly schema: DataType[];
  private readonly sides: [Side, Side];
  private readonly cacheKeysMax: number;
  /** leftSemi / leftAnti: output left rows only (see step 4). */
  private readonly semi: 'semi' | 'anti' | null;

  constructor(private readonly p: HashJoinParams) {
    this.semi = p.joinType === 'leftSemi' ? 'semi' : p.joinType === 'leftAnti' ? 'anti' : null;
    this.schema = this.semi ? [...p.left.schema] : [...p.left.schema, ...p.right.schema];
    const side = (table: StateTable, keys: number[], width: number, outer: boolean, tracked: boolean): Side => ({
      table, keys, width, outer, tracked: outer || tracked, cache: new Map(),
    });
    this.sides = [
      side(p.leftTable, p.leftKeys, p.left.schema.length, p.joinType === 'left' || p.joinType === 'full', this.semi !== null),
      side(p.rightTable, p.rightKeys, p.right.schema.length, p.joinType === 'right' || p.joinType === 'full', false),
    ];
    this.cacheKeysMax = p.cacheKeysMax ?? DEFAULT_CACHE_KEYS;
  }

  async *execute(): AsyncGenerator<Message> {
    const inputs = [this.p.left.execute(), this.p.right.execute()];
    const pending: (Promise<{ side: number; r: IteratorResult<Message> }> | null)[] = [null, null];
    const blocked: (Barrier | null)[] = [null, null];
    const arm = (i: number): void => {
      pending[i] = inputs[i].next().then((r) => ({ side: i, r }));
    };
    arm(0);
    arm(1);
    let initialized = false;
    const early: [number, StreamChunk][] = [];
    try {
      for (;;) {
        if (blocked[0] && blocked[1]) {
          const b = blocked[0];
          if (b.currEpoch !== blocked[1].currEpoch) {
            throw new Error(`hash join: misaligned barriers ${b.currEpoch} and ${blocked[1].currEpoch}`);
          }
          if (!initialized) {
            for (const s of this.sides) s.table.init(b.prevEpoch);
            initialized = true;
            // Rows an input emitted before its first barrier (a simple agg's initial row).
            for (const [side, chunk] of early) yield* this.apply(side, chunk);
            early.length = 0;
          }
          for (const s of this.sides) s.table.commit(b);
          blocked[0] = blocked[1] = null;
          yield { kind: 'barrier', barrier: b };
          arm(0);
          arm(1);
          continue;
        }
        const { side, r } = await Promise.race(pending.filter((x): x is NonNullable<typeof x> => x !== null));
        pending[side] = null;
        if (r.done) return;
        const msg = r.value;
        if (msg.kind === 'barrier') {
          blocked[side] = msg.barrier;
        } else {
          if (msg.kind === 'chunk' && !initialized) early.push([side, msg.chunk]);
          else if (msg.kind === 'chunk') yield* this.apply(side, msg.chunk);
          arm(side);
        }
      }
    } finally {
      // Not awaited: an input blocked in a pending `next()` would hold the return forever.
      for (const g of inputs) void g.return(undefined).catch(() => undefined);
    }
  }

  private apply(sideIndex: number, chunk: StreamChunk): AsyncGenerator<Message> {
    return this.semi ? this.applySemiChunk(sideIndex, chunk) : this.applyChunk(sideIndex, chunk);
  }

  private async *applyChunk(sideIndex: number, chunk: StreamChunk): AsyncGenerator<Message> {
    const builder = new StreamChunkBuilder(this.schema.length);
    const emit = (op: number, row: Row): Message | null => {
      const c = builder.append(op, row);
      return c ? { kind: 'chunk', chunk: c } : null;
    };
    const self = this.sides[sideIndex];
    const other = this.sides[1 - sideIndex];
    const isLeft = sideIndex === 0;
    const join = (mine: Row | null, theirs: Row | null): Row => {
      const m = mine === null ? new Array<Datum>(self.width).fill(null) : mine.slice(0, self.width);
      const t = theirs === null ? new Array<Datum>(other.width).fill(null) : theirs.slice(0, other.width);
      return isLeft ? [...m, ...t] : [...t, ...m];
    };
    for (let i = 0; i < chunk.cardinality; i++) {
      const row = chunk.row(i);
      const insert = isInsertOp(chunk.ops[i]);
      const op = insert ? Op.Insert : Op.Delete;
      const key = self.keys.map((k) => row[k]);
      if (key.some((d) => d === null)) {
        if (self.outer) {
          const m = emit(op, join(row, null));
          if (m) yield m;
        }
        continue;
      }
      const candidates = await this.rowsWithKey(other, key);
      const matches = this.filterMatches(isLeft, row, candidates);
      for (const match of matches) {
        const degree = match[other.width] as bigint;
        if (other.outer) {
          if (insert && degree === 0n) {
            const m = emit(Op.Delete, join(null, match));
            if (m) yield m;
          }
          this.setDegree(other, key, match, degree + (insert ? 1n : -1n));
        }
        const m = emit(op, join(row, match));
        if (m) yield m;
        if (other.outer && !insert && degree === 1n) {
          const m2 = emit(Op.Insert, join(null, match));
          if (m2) yield m2;
        }
      }
      if (matches.length === 0 && self.outer) {
        const m = emit(op, join(row, null));
        if (m) yield m;
      }
      this.store(self, key, row, insert, BigInt(matches.length));
    }
    const last = builder.take();
    if (last) yield { kind: 'chunk', chunk: last };
  }

  /** Step 4: a chunk of either side of a semi/anti join; the output is left rows. */
  private async *applySemiChunk(sideIndex: number, chunk: StreamChunk): AsyncGenerator<Message> {
    const builder = new StreamChunkBuilder(this.schema.length);
    const left = this.sides[0];
    const showWhenMatched = this.semi === 'semi';
    const isLeft = sideIndex === 0;
    const self = this.sides[sideIndex];
    const other = this.sides[1 - sideIndex];
    for (let i = 0; i < chunk.cardinality; i++) {
      const row = chunk.row(i);
      const insert = isInsertOp(chunk.ops[i]);
      const op = insert ? Op.Insert : Op.Delete;
      const key = self.keys.map((k) => row[k]);
      let out: Message | null = null;
      if (key.some((d) => d === null)) {
        if (isLeft && !showWhenMatched) out = emitRow(builder, op, row);
        if (out) yield out;
        continue;
      }
      const matches = this.filterMatches(isLeft, row, await this.rowsWithKey(other, key));
      if (isLeft) {
        if ((matches.length > 0) === showWhenMatched) out = emitRow(builder, op, row);
        if (out) yield out;
        this.store(self, key, row, insert, BigInt(matches.length));
        continue;
      }
      for (const match of matches) {
        const degree = match[left.width] as bigint;
        this.setDegree(left, key, match, degree + (insert ? 1n : -1n));
        // The left row's visibility flips when its degree crosses zero.
        const flips = insert ? degree === 0n : degree === 1n;
        if (!flips) continue;
        const shown = insert === showWhenMatched;
        const m = emitRow(builder, shown ? Op.Insert : Op.Delete, match.slice(0, left.width));
        if (m) yield m;
      }
      this.store(self, key, row, insert, 0n);
    }
    const last = builder.take();
    if (last) yield { kind: 'chunk', chunk: last };
  }

  /** Rows of `other` that pass the condition when joined with `row` (arriving on the left iff `isLeft`). */
  private filterMatches(isLeft: boolean, row: Row, candidates: Row[]): Row[] {
    const cond = this.p.condition;
    if (cond === null || candidates.length === 0) return candidates;
    const lw = this.sides[0].width;
    const rw = this.sides[1].width;
    const n = candidates.length;
    const cols: Datum[][] = [];
    for (let c = 0; c < lw + rw; c++) {
      const col = new Array<Datum>(n);
      const fromRow = isLeft ? c < lw : c >= lw;
      const idx = c < lw ? c : c - lw;
      for (let j = 0; j < n; j++) col[j] = fromRow ? row[idx] : candidates[j][idx];
      cols.push(col);
    }
    const ok = cond(cols, n);
    return candidates.filter((_, j) => ok[j] === true);
  }

  /** The stored rows (with degree) of `side` whose join key is `key`, cached per key (LRU). */
  private async rowsWithKey(side: Side, key: Datum[]): Promise<Row[]> {
    const k = keyToString(side.table.encodePk(key));
    let entry = side.cache.get(k);
    if (entry) {
      side.cache.delete(k);
      side.cache.set(k, entry);
      return [...entry.values()];
    }
    entry = new Map();
    for await (const r of side.table.iterWithPrefix(key)) entry.set(this.pkString(side, r), r);
    side.cache.set(k, entry);
    if (side.cache.size > this.cacheKeysMax) side.cache.delete(side.cache.keys().next().value as string);
    return [...entry.values()];
  }

  private pkString(side: Side, row: Row): string {
    return keyToString(side.table.encodePk(side.table.pkOf(row)));
  }

  private setDegree(side: Side, key: Datum[], row: Row, degree: bigint): void {
    const updated = [...row.slice(0, side.width), degree];
    side.table.insert(updated);
    const entry = side.cache.get(keyToString(side.table.encodePk(key)));
    if (entry) entry.set(this.pkString(side, updated), updated);
  }

  private store(side: Side, key: Datum[], row: Row, insert: boolean, degree: bigint): void {
    const stored = [...row, degree];
    const entry = side.cache.get(keyToString(side.table.encodePk(key)));
    const pk = this.pkString(side, stored);
    if (insert) {
      side.table.insert(stored);
      entry?.set(pk, stored);
    } else {
      side.table.delete(stored);
      entry?.delete(pk);
    }
  }
}

function emitRow(builder: StreamChunkBuilder, op: number, row: Row): Message | null {
  const c = builder.append(op, row);
  return c ? { kind: 'chunk', chunk: c } : null;
}
