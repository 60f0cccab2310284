/**
 * Test fixtures: chunks written as text (RisingWave's `StreamChunk::from_pretty`) and a source
 * executor fed from a list of messages or a channel.
 *
 * ```
 *  i I T          <- column types: i integer, I bigint, F double, T varchar, B boolean, N numeric
 *  + 1 4 abc      <- op (+ - U- U+) then one value per column; `.` is NULL
 *  U- 5 3 .
 * ```
 */
import { Decimal, OP_PRETTY, StreamChunk, type Barrier, type DataType, type Datum } from '@tributary/common';
import { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';

const TYPE_CODES: Record<string, DataType> = {
  i: 'integer',
  I: 'bigint',
  F: 'double precision',
  T: 'character varying',
  B: 'boolean',
  N: 'numeric',
};

export function typesFromPretty(header: string): DataType[] {
  return header.trim().split(/\s+/).map((c) => {
    const t = TYPE_CODES[c];
    if (!t) throw new Error(`unknown type code ${c}`);
    return t;
  });
}

function parseValue(type: DataType, text: string): Datum {
  if (text === '.') return null;
  switch (type) {
    case 'integer':
    case 'double precision':
      return Number(text);
    case 'bigint':
      return BigInt(text);
    case 'boolean':
      return text === 't' || text === 'true';
    case 'numeric':
      return Decimal.parse(text);
    default:
      return text;
  }
}

export function chunkFromPretty(text: string): StreamChunk {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const types = typesFromPretty(lines[0]);
  const ops: number[] = [];
  const rows: Datum[][] = [];
  for (const line of lines.slice(1)) {
    const [op, ...vals] = line.split(/\s+/);
    const code = (OP_PRETTY as readonly string[]).indexOf(op);
    if (code < 0) throw new Error(`bad op ${op}`);
    if (vals.length !== types.length) throw new Error(`bad row "${line}"`);
    ops.push(code);
    rows.push(vals.map((v, i) => parseValue(types[i], v)));
  }
  return StreamChunk.fromRows(ops, rows, types.length);
}

function formatValue(d: Datum): string {
  if (d === null) return '.';
  if (d instanceof Uint8Array) return `\\x${Buffer.from(d).toString('hex')}`;
  if (typeof d === 'boolean') return d ? 't' : 'f';
  return String(d);
}

/** One line per row: `op v1 v2 ...`, the inverse of `chunkFromPretty` minus the header. */
export function chunkToLines(chunk: StreamChunk): string[] {
  const out: string[] = [];
  for (let i = 0; i < chunk.cardinality; i++) {
    out.push([OP_PRETTY[chunk.ops[i]], ...chunk.row(i).map(formatValue)].join(' '));
  }
  return out;
}

/** Lines of a pretty chunk without its header, normalized like `chunkToLines`. */
export function prettyLines(text: string): string[] {
  return chunkToLines(chunkFromPretty(text));
}

/** A barrier with prevEpoch = curr - 1. */
export function barrier(currEpoch: bigint, mutation?: Barrier['mutation']): Barrier {
  return { prevEpoch: currEpoch - 1n, currEpoch, kind: 'checkpoint', mutation };
}

/** Executor over a channel of messages (send, then close to end the stream). */
export class ChannelSource implements Executor {
  readonly identity = 'ChannelSource';
  readonly channel = new Channel<Message>(1 << 20);

  constructor(readonly schema: DataType[]) {}

  push(msg: Message | StreamChunk | Barrier): this {
    if (msg instanceof StreamChunk) this.channel.sendNow({ kind: 'chunk', chunk: msg });
    else if ('prevEpoch' in msg) this.channel.sendNow({ kind: 'barrier', barrier: msg });
    else this.channel.sendNow(msg);
    return this;
  }

  close(): void {
    this.channel.close();
  }

  async *execute(): AsyncGenerator<Message> {
    for (;;) {
      const msg = await this.channel.recv();
      if (msg === undefined) return;
      yield msg;
    }
  }
}

/** A source over a fixed list of messages (chunks written pretty, barriers by epoch, watermarks as messages). */
export function sourceOf(schema: DataType[], items: Array<string | StreamChunk | Barrier | bigint | Message>): ChannelSource {
  const src = new ChannelSource(schema);
  for (const item of items) {
    if (typeof item === 'string') src.push(chunkFromPretty(item));
    else if (typeof item === 'bigint') src.push(barrier(item));
    else src.push(item);
  }
  src.close();
  return src;
}

/**
 * Drains an executor to a readable transcript: chunk rows as lines, barriers as `barrier <curr>`.
 * Stops after `maxBarriers` barriers if given.
 */
export async function collect(exec: Executor, maxBarriers = Infinity): Promise<string[]> {
  const out: string[] = [];
  let barriers = 0;
  for await (const msg of exec.execute()) {
    if (msg.kind === 'chunk') out.push(...chunkToLines(msg.chunk));
    else if (msg.kind === 'barrier') {
      out.push(`barrier ${msg.barrier.currEpoch}`);
      if (++barriers >= maxBarriers) break;
    } else out.push(`watermark ${msg.column} ${formatValue(msg.value)}`);
  }
  return out;
}
