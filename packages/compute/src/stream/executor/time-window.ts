import { Op, StreamChunkBuilder, type DataType, type Datum, type Row, type StreamChunk } from '@tributary/common';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

/** Floor modulo for bigints (the remainder has the divisor's sign). */
function floorMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r < 0n ? r + b : r;
}

/**
 * The [start, end) windows of width `size`, sliding by `slide`, that contain `ts` (ascending).
 * Tumble is slide = size: exactly one.
 */
export function windowsOf(ts: bigint, sizeMicros: bigint, slideMicros: bigint): [bigint, bigint][] {
  const lastStart = ts - floorMod(ts, slideMicros);
  const out: [bigint, bigint][] = [];
  for (let start = lastStart - sizeMicros + slideMicros; start <= lastStart; start += slideMicros) {
    out.push([start, start + sizeMicros]);
  }
  return out;
}

/** Rows of a chunk with their windows appended; one row per window for hop. */
export function windowRows(row: Row, timeCol: number, sizeMicros: bigint, slideMicros: bigint): Row[] {
  const ts = row[timeCol] as bigint | null;
  if (ts === null) return sizeMicros === slideMicros ? [[...row, null, null]] : [];
  return windowsOf(ts, sizeMicros, slideMicros).map(([s, e]) => [...row, s, e]);
}

/**
 * TUMBLE / HOP: see `TimeWindowNode`. Stateless; barriers pass through. A watermark on the time
 * column goes on, followed by the derived ones on window_start and window_end (every later row's
 * earliest window starts at or after `windowsOf(wm)[0]`); other watermarks pass unchanged.
 */
export class TimeWindowExecutor implements Executor {
  identity = 'TimeWindow';
  private readonly size: bigint;
  private readonly slide: bigint;

  constructor(
    private readonly input: Executor,
    readonly schema: DataType[],
    private readonly timeCol: number,
    sizeMicros: string,
    slideMicros: string,
  ) {
    this.size = BigInt(sizeMicros);
    this.slide = BigInt(slideMicros);
  }

  async *execute(): AsyncGenerator<Message> {
    for await (const msg of this.input.execute()) {
      if (msg.kind === 'chunk') {
        const out = this.apply(msg.chunk);
        if (out) yield { kind: 'chunk', chunk: out };
      } else if (msg.kind === 'barrier') {
        yield msg;
      } else {
        yield msg;
        if (msg.column !== this.timeCol || msg.value === null) continue;
        const [start, end] = windowsOf(msg.value as bigint, this.size, this.slide)[0];
        const startCol = this.schema.length - 2;
        yield { kind: 'watermark', column: startCol, value: start };
        yield { kind: 'watermark', column: startCol + 1, value: end };
      }
    }
  }

  private apply(chunk: StreamChunk): StreamChunk | null {
    const tumble = this.size === this.slide;
    // Capacity never reached: append never returns a chunk, take() gets them all.
    const builder = new StreamChunkBuilder(this.schema.length, Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < chunk.cardinality; i++) {
      let op = chunk.ops[i];
      // A hop update touches several rows: pairs would interleave, so it becomes delete + insert.
      if (!tumble) op = op === Op.UpdateDelete ? Op.Delete : op === Op.UpdateInsert ? Op.Insert : op;
      for (const r of windowRows(chunk.row(i), this.timeCol, this.size, this.slide)) builder.append(op, r as Datum[]);
    }
    return builder.take();
  }
}
