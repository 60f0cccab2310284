import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { ByteReader, ByteWriter } from '../row/byte-buffer.ts';
import { decodeRow, encodeRow } from '../row/row-codec.ts';
import { StreamChunk } from './stream-chunk.ts';

/**
 * Wire form of a chunk (exchange, DML):
 *
 *   u32 rowCount | rowCount × u8 op | rowCount × (u32 len | row codec bytes)
 */
export function encodeChunk(types: readonly DataType[], chunk: StreamChunk): Uint8Array {
  const n = chunk.cardinality;
  const w = new ByteWriter(64 + n * 32);
  w.u32(n);
  w.bytes(chunk.ops);
  const row = new Array<Datum>(types.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < types.length; c++) row[c] = chunk.columns[c][i];
    const bytes = encodeRow(types, row);
    w.u32(bytes.length);
    w.bytes(bytes);
  }
  return w.finish();
}

export function decodeChunk(types: readonly DataType[], bytes: Uint8Array): StreamChunk {
  const r = new ByteReader(bytes, 'chunk');
  const n = r.u32();
  const ops = Uint8Array.from(r.bytes(n));
  const columns: Datum[][] = types.map(() => new Array<Datum>(n));
  for (let i = 0; i < n; i++) {
    const len = r.u32();
    const row = decodeRow(types, r.bytes(len));
    for (let c = 0; c < types.length; c++) columns[c][i] = row[c];
  }
  return new StreamChunk(ops, columns);
}
