import {
  Op, StreamChunk, isInsertOp, type ActorBackfillProgress, type Barrier, type DataType, type Row,
} from '@tributary/common';
import type { StateTable } from '../../state-table/state-table.ts';
import { compareBytes } from '../../state-table/state-table-key.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import { RateLimiter } from '../rate-limiter.ts';

/** A backfill's progress, reported with every barrier until it is done. */
export type BackfillProgress = Omit<ActorBackfillProgress, 'actorId'>;

export interface TableScanParams {
  /** The live stream of the upstream materialize (no-shuffle, same vnodes). */
  upstream: Executor;
  /** The upstream table, read-only, over the same vnodes. */
  upstreamTable: StateTable;
  /** Upstream columns to output. */
  outputIndices: number[];
  /**
   * pk = vnode (smallint); row = [vnode, done boolean, position bytea (encoded upstream pk of
   * the last snapshot row sent, NULL before the first), rows sent bigint].
   */
  progressTable: StateTable;
  vnodes: number[];
  snapshotChunkRows?: number;
  /** Snapshot rows per second this actor may send (the session's `backfill_rate_limit`); none when unset. */
  rateLimitRowsPerSecond?: number;
  /** Called before a barrier is forwarded, while the backfill runs and once when it is done. */
  onProgress?: (barrier: Barrier, progress: BackfillProgress) => void;
}

interface VnodeProgress {
  pos: Uint8Array | null;
  done: boolean;
  rows: number;
  dirty: boolean;
}

const DEFAULT_CHUNK_ROWS = 1024;
const YIELD = Symbol('yield');
const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/**
 * Backfill interleaved with the live stream (RisingWave's no-shuffle backfill):
 *
 * 1. Each owned vnode has a position: the pk of the last snapshot row sent (persisted in the
 *    progress table at every barrier, so a rebuilt executor resumes behind it).
 * 2. After each barrier B, snapshot rows after the positions are read at B.prevEpoch in chunks
 *    and sent, advancing the positions, while the upstream's chunks of the epoch are buffered;
 *    a vnode whose snapshot ends is done.
 * 3. At the next barrier, the buffered upstream rows are sent when their vnode is done or their pk
 *    is at or before the vnode's position (the snapshot at B.prevEpoch had their old state); the
 *    others are dropped: a later snapshot read, at a later epoch, includes their effect. So every
 *    row is sent exactly once. Then the positions are saved and the barrier forwarded.
 * 4. Once every vnode is done, upstream chunks pass straight through (projected).
 */
export class TableScanExecutor implements Executor {
  identity = 'TableScan';
  readonly schema: DataType[];
  private readonly progress = new Map<number, VnodeProgress>();
  private totalRows = 0;
  /** Rows sent for vnodes that were done before this executor started. */
  private doneRows = 0;

  private readonly limiter: RateLimiter | null;

  constructor(private readonly p: TableScanParams) {
    this.schema = p.outputIndices.map((i) => p.upstream.schema[i]);
    this.limiter = p.rateLimitRowsPerSecond ? new RateLimiter(p.rateLimitRowsPerSecond) : null;
  }

  async *execute(): AsyncGenerator<Message> {
    const upstream = this.p.upstream.execute();
    let first: IteratorResult<Message>;
    // Only a barrier can come first; anything else is passed on projected.
    while (!(first = await upstream.next()).done && first.value.kind !== 'barrier') yield* this.passThrough(first.value);
    if (first.done) return;
    const b0 = (first.value as Message & { kind: 'barrier' }).barrier;
    this.p.upstreamTable.init(b0.prevEpoch);
    this.p.progressTable.init(b0.prevEpoch);
    await this.loadProgress();
    yield* this.finishEpoch(b0, []);
    let backfilling = !this.allDone();
    let next = upstream.next();
    while (backfilling) {
      const buffered: StreamChunk[] = [];
      const snapshot = this.snapshotRows();
      let snapshotOpen = true;
      let barrier: Barrier | null = null;
      while (barrier === null) {
        let r: IteratorResult<Message> | typeof YIELD;
        const waitMs = snapshotOpen ? (this.limiter?.waitMs() ?? 0) : 0;
        if (snapshotOpen && waitMs === 0) {
          const chunk = await this.readChunk(snapshot);
          if (chunk) yield { kind: 'chunk', chunk };
          else snapshotOpen = false;
          // Poll the upstream without waiting, so a barrier is not held up by the snapshot. One
          // upstream message per snapshot chunk: neither side starves the other. The event loop
          // gets a turn first: reads served from memory never leave the microtask queue, which
          // would starve timers (heartbeats to meta) for a whole backfill.
          await new Promise<void>((res) => setImmediate(res));
          r = await Promise.race([next, Promise.resolve(YIELD)]);
          if (r === YIELD) continue;
        } else if (snapshotOpen) {
          // Rate-limited: serve the upstream until the limiter grants the next snapshot rows.
          r = await Promise.race([next, sleep(waitMs).then((): typeof YIELD => YIELD)]);
          if (r === YIELD) continue;
        } else {
          r = await next;
        }
        if (r.done) return;
        next = upstream.next();
        const msg = r.value;
        if (msg.kind === 'chunk') buffered.push(msg.chunk);
        else if (msg.kind === 'barrier') barrier = msg.barrier;
        // Watermarks are dropped while backfilling: the snapshot may still hold older rows.
      }
      if (snapshotOpen) await snapshot.return(undefined);
      yield* this.finishEpoch(barrier, buffered);
      backfilling = !this.allDone();
    }
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = upstream.next();
      yield* this.passThrough(r.value);
    }
  }

  /** Sends the epoch's upstream rows that the positions cover, saves progress, forwards `barrier`. */
  private async *finishEpoch(barrier: Barrier, buffered: StreamChunk[]): AsyncGenerator<Message> {
    for (const chunk of buffered) {
      const kept = this.coveredRows(chunk);
      if (kept) yield { kind: 'chunk', chunk: kept };
    }
    for (const [vnode, v] of this.progress) {
      if (!v.dirty) continue;
      this.p.progressTable.insert([vnode, v.done, v.pos, BigInt(v.rows)]);
      v.dirty = false;
    }
    this.p.progressTable.commit(barrier);
    this.p.upstreamTable.init(barrier.prevEpoch);
    if (this.p.onProgress && this.progress.size > 0) {
      let consumed = this.doneRows;
      for (const v of this.progress.values()) consumed += v.rows;
      this.p.onProgress(barrier, { consumedRows: consumed, totalRows: Math.max(this.totalRows, consumed), done: this.allDone() });
      if (this.allDone()) this.progress.clear();
    }
    yield { kind: 'barrier', barrier };
  }

  private async *passThrough(msg: Message): AsyncGenerator<Message> {
    if (msg.kind === 'chunk') {
      yield { kind: 'chunk', chunk: projectColumns(msg.chunk, this.p.outputIndices) };
    } else if (msg.kind === 'barrier') {
      this.p.progressTable.commit(msg.barrier);
      yield msg;
    } else {
      const column = this.p.outputIndices.indexOf(msg.column);
      if (column >= 0) yield { ...msg, column };
    }
  }

  /** Positions of the owned vnodes not done yet, and the estimated total. */
  private async loadProgress(): Promise<void> {
    let consumed = 0;
    let remaining = 0;
    for (const vnode of this.p.vnodes) {
      const row = await this.p.progressTable.get([vnode]);
      if (row && row[1] === true) {
        this.doneRows += Number(row[3] ?? 0n);
        continue;
      }
      const v: VnodeProgress = {
        // Rows of jobs planned before positions were saved have only [vnode, done].
        pos: row ? ((row[2] as Uint8Array | null | undefined) ?? null) : null, done: false, rows: row ? Number(row[3] ?? 0n) : 0, dirty: false,
      };
      this.progress.set(vnode, v);
      consumed += v.rows;
      remaining += await this.p.upstreamTable.countVnodeAfter(vnode, v.pos);
    }
    this.totalRows = this.doneRows + consumed + remaining;
  }

  private allDone(): boolean {
    for (const v of this.progress.values()) if (!v.done) return false;
    return true;
  }

  /** Snapshot rows after each pending vnode's position, at the upstream table's read epoch. */
  private async *snapshotRows(): AsyncGenerator<{ vnode: number; row: Row }> {
    for (const [vnode, v] of this.progress) {
      if (v.done) continue;
      for await (const row of this.p.upstreamTable.iterVnodeAfter(vnode, v.pos)) yield { vnode, row };
      v.done = true;
      v.dirty = true;
    }
  }

  /** Up to one chunk of snapshot rows (positions advanced), or null when the snapshot ended. */
  private async readChunk(snapshot: AsyncGenerator<{ vnode: number; row: Row }>): Promise<StreamChunk | null> {
    // Called only when the limiter grants a row: an empty chunk means the snapshot ended.
    const max = Math.min(this.p.snapshotChunkRows ?? DEFAULT_CHUNK_ROWS, Math.max(1, this.limiter?.available() ?? Infinity));
    const idx = this.p.outputIndices;
    const columns = idx.map(() => [] as Row);
    const table = this.p.upstreamTable;
    let n = 0;
    while (n < max) {
      const r = await snapshot.next();
      if (r.done) break;
      const { vnode, row } = r.value;
      const v = this.progress.get(vnode)!;
      v.pos = table.encodePk(table.pkOf(row));
      v.rows++;
      v.dirty = true;
      for (let c = 0; c < idx.length; c++) columns[c].push(row[idx[c]]);
      n++;
    }
    if (n === 0) return null;
    this.limiter?.consume(n);
    return new StreamChunk(new Uint8Array(n).fill(Op.Insert), columns);
  }

  /** The rows of an upstream chunk that the snapshot already covers, projected; updates split. */
  private coveredRows(chunk: StreamChunk): StreamChunk | null {
    const table = this.p.upstreamTable;
    const idx = this.p.outputIndices;
    const ops: number[] = [];
    const columns = idx.map(() => [] as Row);
    for (let i = 0; i < chunk.cardinality; i++) {
      const row = chunk.row(i);
      const v = this.progress.get(table.vnodeOfRow(row));
      const covered = !v || v.done || (v.pos !== null && compareBytes(table.encodePk(table.pkOf(row)), v.pos) <= 0);
      if (!covered) continue;
      // An update pair may be split by the position: send plain deletes and inserts.
      ops.push(isInsertOp(chunk.ops[i]) ? Op.Insert : Op.Delete);
      for (let c = 0; c < idx.length; c++) columns[c].push(row[idx[c]]);
    }
    return ops.length === 0 ? null : new StreamChunk(Uint8Array.from(ops), columns);
  }
}

export function projectColumns(chunk: StreamChunk, indices: number[]): StreamChunk {
  return new StreamChunk(chunk.ops, indices.map((i) => chunk.columns[i]));
}
