// Test helper: a minimal protocol-level client, to send exact message sequences and read replies.
import { connect, type Socket } from 'node:net';

export interface BackendMessage {
  type: string;
  body: Buffer;
}

function frame(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf8');
const i16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeInt16BE(n); return b; };
const i32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };

export const m = {
  parse: (name: string, sql: string, types: number[] = []): Buffer =>
    frame('P', Buffer.concat([cstr(name), cstr(sql), i16(types.length), ...types.map(i32)])),
  bind: (portal: string, stmt: string, params: (Buffer | string | null)[], paramFormats: number[] = [], resultFormats: number[] = []): Buffer =>
    frame('B', Buffer.concat([
      cstr(portal), cstr(stmt), i16(paramFormats.length), ...paramFormats.map(i16), i16(params.length),
      ...params.flatMap((p) => (p === null ? [i32(-1)] : [i32(Buffer.byteLength(p)), Buffer.from(p)])),
      i16(resultFormats.length), ...resultFormats.map(i16),
    ])),
  describe: (target: 'S' | 'P', name: string): Buffer => frame('D', Buffer.concat([Buffer.from(target), cstr(name)])),
  execute: (portal: string, maxRows = 0): Buffer => frame('E', Buffer.concat([cstr(portal), i32(maxRows)])),
  close: (target: 'S' | 'P', name: string): Buffer => frame('C', Buffer.concat([Buffer.from(target), cstr(name)])),
  sync: (): Buffer => frame('S', Buffer.alloc(0)),
  flush: (): Buffer => frame('H', Buffer.alloc(0)),
  query: (sql: string): Buffer => frame('Q', cstr(sql)),
  copyData: (data: string): Buffer => frame('d', Buffer.from(data)),
  copyDone: (): Buffer => frame('c', Buffer.alloc(0)),
  copyFail: (reason: string): Buffer => frame('f', cstr(reason)),
};

/** A connected, started session; `until('Z')` collects messages up to the next ReadyForQuery. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly messages: BackendMessage[] = [];
  private waiter?: () => void;
  backendKey?: { processId: number; secretKey: number };

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      while (this.buffer.length >= 5) {
        const len = this.buffer.readInt32BE(1);
        if (this.buffer.length < len + 1) break;
        this.messages.push({ type: String.fromCharCode(this.buffer[0]), body: this.buffer.subarray(5, len + 1) });
        this.buffer = this.buffer.subarray(len + 1);
      }
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number, user = 'root'): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const client = new RawClient(socket);
    const params = Buffer.concat([cstr('user'), cstr(user), cstr('database'), cstr('dev'), Buffer.from([0])]);
    socket.write(Buffer.concat([i32(params.length + 8), i32(196608), params]));
    const startup = await client.until('Z');
    const key = startup.find((x) => x.type === 'K');
    if (key) client.backendKey = { processId: key.body.readInt32BE(0), secretKey: key.body.readInt32BE(4) };
    return client;
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /** Messages received until (and including) one of `type`. */
  async until(type: string, timeoutMs = 10_000): Promise<BackendMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((x) => x.type === type);
      if (i >= 0) return this.messages.splice(0, i + 1);
      if (Date.now() > deadline) throw new Error(`timed out waiting for '${type}'; got ${this.messages.map((x) => x.type).join('')}`);
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 50);
      });
    }
  }

  /** Sends a CancelRequest for this session on a new connection. */
  async cancel(port: number): Promise<void> {
    const s = connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.on('error', () => undefined);
    s.end(Buffer.concat([i32(16), i32(80877102), i32(this.backendKey!.processId), i32(this.backendKey!.secretKey)]));
  }

  end(): void {
    this.socket.end(frame('X', Buffer.alloc(0)));
  }
}

/** Values of a DataRow ('D'), as raw buffers (null for NULL). */
export function dataRowValues(body: Buffer): (Buffer | null)[] {
  const n = body.readInt16BE(0);
  const out: (Buffer | null)[] = [];
  let off = 2;
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(off);
    off += 4;
    if (len < 0) out.push(null);
    else {
      out.push(body.subarray(off, off + len));
      off += len;
    }
  }
  return out;
}

/** SQLSTATE of an ErrorResponse ('E'). */
export function errorCode(body: Buffer): string {
  const fields = body.toString('utf8').split('\0');
  return fields.find((f) => f.startsWith('C'))!.slice(1);
}

export const types = (msgs: BackendMessage[]): string => msgs.map((x) => x.type).join('');
