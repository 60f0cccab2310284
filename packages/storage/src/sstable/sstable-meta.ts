import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter, readU32 } from './varint.ts';
import { FOOTER_LEN, FORMAT_VERSION, MAGIC, MIN_READABLE_FORMAT_VERSION } from './format.ts';
import { corruptedError } from '../storage-errors.ts';

/** Location and key range of one data block. */
export interface BlockMeta {
  offset: number;
  length: number;
  firstKey: Uint8Array;
  lastKey: Uint8Array;
}

/** Decoded meta block of an SSTable (layout in format.ts). */
export interface SstableMeta {
  blocks: BlockMeta[];
  bloomFilter: Uint8Array;
  smallestKey: Uint8Array;
  largestKey: Uint8Array;
  minEpoch: bigint;
  maxEpoch: bigint;
  keyCount: number;
  tableIds: number[];
  /** Bytes the meta occupies in memory (for the meta cache). */
  sizeBytes: number;
  /** Format version from the footer (decides how blocks are stored). */
  formatVersion: number;
}

export function encodeMeta(m: Omit<SstableMeta, 'sizeBytes' | 'formatVersion'>): Uint8Array {
  const w = new ByteWriter(1024);
  w.varint(m.blocks.length);
  for (const b of m.blocks) {
    w.varint(b.offset);
    w.varint(b.length);
    w.lenBytes(b.firstKey);
    w.lenBytes(b.lastKey);
  }
  w.lenBytes(m.bloomFilter);
  w.lenBytes(m.smallestKey);
  w.lenBytes(m.largestKey);
  w.u64(m.minEpoch);
  w.u64(m.maxEpoch);
  w.varint(m.keyCount);
  w.varint(m.tableIds.length);
  for (const t of m.tableIds) w.varint(t);
  w.u32(crc32(w.view()));
  return w.view().slice();
}

export function decodeMeta(data: Uint8Array, objectPath: string, dataEnd: number, formatVersion = FORMAT_VERSION): SstableMeta {
  if (data.length < 4) throw corruptedError(objectPath, 'meta block too short');
  if (crc32(data.subarray(0, data.length - 4)) !== readU32(data, data.length - 4)) {
    throw corruptedError(objectPath, 'meta block checksum mismatch');
  }
  try {
    const r = new ByteReader(data, data.length - 4);
    const n = r.varint();
    const blocks: BlockMeta[] = [];
    for (let i = 0; i < n; i++) {
      const offset = r.varint();
      const length = r.varint();
      // Copy keys so the meta does not pin the whole meta buffer slices separately.
      blocks.push({ offset, length, firstKey: r.lenBytes().slice(), lastKey: r.lenBytes().slice() });
      if (offset + length > dataEnd) throw corruptedError(objectPath, `block ${i} extends past the data section`);
    }
    const bloomFilter = r.lenBytes().slice();
    const smallestKey = r.lenBytes().slice();
    const largestKey = r.lenBytes().slice();
    const minEpoch = r.u64();
    const maxEpoch = r.u64();
    const keyCount = r.varint();
    const tableIds: number[] = [];
    const tn = r.varint();
    for (let i = 0; i < tn; i++) tableIds.push(r.varint());
    return { blocks, bloomFilter, smallestKey, largestKey, minEpoch, maxEpoch, keyCount, tableIds, sizeBytes: data.length + 64 * n, formatVersion };
  } catch (err) {
    if ((err as { code?: string }).code) throw err;
    throw corruptedError(objectPath, 'meta block malformed', err);
  }
}

/** Footer fields. */
export interface Footer {
  metaOffset: number;
  metaLength: number;
  metaCrc: number;
  /** Decoded footers only; encodeFooter writes FORMAT_VERSION. */
  formatVersion?: number;
}

export function encodeFooter(f: Footer, formatVersion = FORMAT_VERSION): Uint8Array {
  const w = new ByteWriter(FOOTER_LEN);
  w.u64(BigInt(f.metaOffset));
  w.u32(f.metaLength);
  w.u32(f.metaCrc);
  w.u32(formatVersion);
  w.u32(crc32(w.view()));
  w.u64(MAGIC);
  return w.view().slice();
}

/** Decodes and checks a footer; `objectSize` is the size the version recorded. */
export function decodeFooter(data: Uint8Array, objectPath: string, objectSize: number): Footer {
  if (data.length !== FOOTER_LEN) throw corruptedError(objectPath, `truncated: footer has ${data.length} of ${FOOTER_LEN} bytes`);
  const r = new ByteReader(data);
  const metaOffset = Number(r.u64());
  const metaLength = r.u32();
  const metaCrc = r.u32();
  const version = r.u32();
  const footerCrc = r.u32();
  const magic = r.u64();
  if (magic !== MAGIC) throw corruptedError(objectPath, 'bad magic (truncated or not an SSTable)');
  if (crc32(data.subarray(0, 20)) !== footerCrc) throw corruptedError(objectPath, 'footer checksum mismatch');
  if (version < MIN_READABLE_FORMAT_VERSION || version > FORMAT_VERSION) throw corruptedError(objectPath, `unsupported format version ${version}`);
  if (metaOffset + metaLength + FOOTER_LEN !== objectSize) throw corruptedError(objectPath, 'meta block range does not match the object size');
  return { metaOffset, metaLength, metaCrc, formatVersion: version };
}
