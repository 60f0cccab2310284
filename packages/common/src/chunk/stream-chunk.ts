import type { Datum, Row } from '../types/datum.ts';
import { Op } from './op.ts';

/** Default number of rows per chunk. */
export const CHUNK_SIZE = 256;

/**
 * A batch of rows with an op each, stored column by column. Immutable once built: executors make
 * new chunks rather than mutating their input. `UpdateDelete` is always directly followed by its
 * `UpdateInsert`.
 */
export class StreamChunk {
  constructor(
    readonly ops: Uint8Array,
    readonly columns: Datum[][],
  ) {}

  get cardinality(): number {
    return this.ops.length;
  }

  row(i: number): Row {
    const r = new Array<Datum>(this.columns.length);
    for (let c = 0; c < this.columns.length; c++) r[c] = this.columns[c][i];
    return r;
  }

  static fromRows(ops: number[] | Uint8Array, rows: Row[], width: number): StreamChunk {
    const cols: Datum[][] = [];
    for (let c = 0; c < width; c++) {
      const col = new Array<Datum>(rows.length);
      for (let i = 0; i < rows.length; i++) col[i] = rows[i][c];
      cols.push(col);
    }
    return new StreamChunk(ops instanceof Uint8Array ? ops : Uint8Array.from(ops), cols);
  }

  static inserts(rows: Row[], width: number): StreamChunk {
    return StreamChunk.fromRows(new Uint8Array(rows.length).fill(Op.Insert), rows, width);
  }
}

/** Accumulates rows and yields chunks of at most `capacity` rows. */
export class StreamChunkBuilder {
  private ops: number[] = [];
  private rows: Row[] = [];

  constructor(
    private readonly width: number,
    private readonly capacity = CHUNK_SIZE,
  ) {}

  /** Appends a row; returns a full chunk when capacity is reached (never splits an update pair). */
  append(op: number, row: Row): StreamChunk | null {
    this.ops.push(op);
    this.rows.push(row);
    if (this.rows.length >= this.capacity && op !== Op.UpdateDelete) return this.take();
    return null;
  }

  get size(): number {
    return this.rows.length;
  }

  take(): StreamChunk | null {
    if (this.rows.length === 0) return null;
    const chunk = StreamChunk.fromRows(this.ops, this.rows, this.width);
    this.ops = [];
    this.rows = [];
    return chunk;
  }
}
