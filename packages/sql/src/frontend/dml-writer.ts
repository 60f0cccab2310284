import {
  ComputeServiceClient, computeVnode, encodeChunk, GRPC_CHANNEL_OPTIONS, grpc, Op, StreamChunk, unary,
  type Row, type TableCatalog,
} from '@tributary/common';
import type { FrontendMeta } from './frontend-meta.ts';

/** Rows per DML RPC: keeps messages in the 32–64 KB range gRPC moves well. */
const ROWS_PER_RPC = 512;

/**
 * Sends a statement's row changes to the table's writer actors: each row to the actor owning its
 * vnode (by primary key, or by the vnode embedded in a row id); new rows of a table without a
 * primary key are spread round-robin (the actor assigns ids in its own vnodes). Resolves when
 * every actor has taken its rows into the stream.
 */
export class DmlWriter {
  private readonly clients = new Map<string, any>();
  private roundRobin = 0;

  constructor(private readonly meta: FrontendMeta) {}

  private client(address: string): any {
    let c = this.clients.get(address);
    if (!c) {
      c = new ComputeServiceClient(address, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
      this.clients.set(address, c);
    }
    return c;
  }

  /** `changes` are (op, full table row) pairs; an UpdateDelete is directly followed by its UpdateInsert. */
  /** Returns the newest epoch the rows were written in (0 when there were none). */
  async write(table: TableCatalog, changes: Array<[number, Row]>): Promise<bigint> {
    if (changes.length === 0) return 0n;
    let maxEpoch = 0n;
    const placement = await this.meta.waitPlacement(table.id);
    const byActor = new Map<number, Array<[number, Row]>>();
    const pk = table.storage.distKey;
    const pkTypes = pk.map((i) => table.storage.columns[i]);
    const isRowId = !!table.storage.distKeyIsRowId;
    const owner = new Array<number>(256);
    placement.forEach((p, idx) => p.vnodes.forEach((v) => (owner[v] = idx)));
    const route = (row: Row): number => {
      if (isRowId && row[table.rowIdIndex!] === null) return this.roundRobin++ % placement.length;
      return owner[computeVnode(pkTypes, pk.map((i) => row[i]), isRowId)];
    };
    for (let i = 0; i < changes.length; i++) {
      let [op, row] = changes[i];
      let target = route(row);
      if (op === Op.UpdateDelete) {
        const next = route(changes[i + 1][1]);
        if (next !== target) op = Op.Delete;
      } else if (op === Op.UpdateInsert) {
        const prev = route(changes[i - 1][1]);
        if (prev !== target) op = Op.Insert;
      }
      const list = byActor.get(target) ?? [];
      list.push([op, row]);
      byActor.set(target, list);
    }
    const types = table.storage.columns;
    await Promise.all(
      [...byActor].map(async ([idx, rows]) => {
        const p = placement[idx];
        for (let off = 0; off < rows.length; ) {
          let end = Math.min(off + ROWS_PER_RPC, rows.length);
          if (rows[end - 1][0] === Op.UpdateDelete) end++; // never split an update pair
          const part = rows.slice(off, end);
          off = end;
          const chunk = StreamChunk.fromRows(part.map((r) => r[0]), part.map((r) => r[1]), types.length);
          const res = await unary<object, { epoch: string }>(this.client(p.address), 'Dml', { table_id: table.id, actor_id: p.actorId, chunk: Buffer.from(encodeChunk(types, chunk)) });
          const epoch = BigInt(res.epoch || '0');
          if (epoch > maxEpoch) maxEpoch = epoch;
        }
      }),
    );
    return maxEpoch;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}
