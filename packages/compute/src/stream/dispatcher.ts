import {
  computeVnode, Op, StreamChunk, type Barrier, type DataType, type Datum, type DispatcherDesc,
} from '@tributary/common';
import type { Channel } from './channel.ts';
import type { Message } from './message.ts';

/**
 * Routes an actor's output to one downstream fragment's actors. Hash: by the vnode of the
 * distribution key; an update pair whose halves land on different actors is split into a Delete
 * and an Insert. Broadcast: every chunk to every output. Barriers and watermarks go to every output.
 */
export class Dispatcher {
  constructor(
    readonly desc: DispatcherDesc,
    readonly outputs: Array<{ actorId: number; channel: Channel<Message> }>,
    private readonly types: DataType[],
  ) {}

  get downstreamFragmentId(): number {
    return this.desc.downstreamFragmentId;
  }

  async dispatchChunk(chunk: StreamChunk): Promise<void> {
    if (this.desc.kind === 'broadcast') {
      for (const o of this.outputs) await o.channel.send({ kind: 'chunk', chunk });
      return;
    }
    if (this.desc.kind !== 'hash' || this.outputs.length === 1) {
      await this.outputs[0].channel.send({ kind: 'chunk', chunk });
      return;
    }
    const parts = this.splitByVnode(chunk, this.desc.keys, this.desc.vnodeMap, !!this.desc.keysAreRowId);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part) await this.outputs[i].channel.send({ kind: 'chunk', chunk: part });
    }
  }

  private splitByVnode(chunk: StreamChunk, keys: number[], vnodeMap: number[], isRowId: boolean): Array<StreamChunk | null> {
    const n = chunk.cardinality;
    const keyTypes = keys.map((k) => this.types[k]);
    const target = new Int32Array(n);
    const keyDatums = new Array<Datum>(keys.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < keys.length; k++) keyDatums[k] = chunk.columns[keys[k]][i];
      target[i] = vnodeMap[computeVnode(keyTypes, keyDatums, isRowId)];
    }
    const rows: number[][] = this.outputs.map(() => []);
    const ops: number[][] = this.outputs.map(() => []);
    for (let i = 0; i < n; i++) {
      let op = chunk.ops[i];
      if (op === Op.UpdateDelete && i + 1 < n && target[i] !== target[i + 1]) op = Op.Delete;
      else if (op === Op.UpdateInsert && i > 0 && target[i] !== target[i - 1]) op = Op.Insert;
      rows[target[i]].push(i);
      ops[target[i]].push(op);
    }
    return rows.map((idx, o) => {
      if (idx.length === 0) return null;
      if (idx.length === n) return ops[o].every((op, j) => op === chunk.ops[j]) ? chunk : take(chunk, idx, ops[o]);
      return take(chunk, idx, ops[o]);
    });
  }

  /** A watermark bounds every output's future rows, so each output gets it. */
  async dispatchWatermark(msg: Message & { kind: 'watermark' }): Promise<void> {
    for (const o of this.outputs) await o.channel.send(msg);
  }

  async dispatchBarrier(barrier: Barrier): Promise<void> {
    const msg: Message = { kind: 'barrier', barrier };
    for (const o of this.outputs) await o.channel.send(msg);
  }
}

function take(chunk: StreamChunk, idx: number[], ops: number[]): StreamChunk {
  const columns = chunk.columns.map((col) => idx.map((i) => col[i]));
  return new StreamChunk(Uint8Array.from(ops), columns);
}
