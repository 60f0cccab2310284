import { crc32 } from 'node:zlib';
import { BlockBuilder } from './block-builder.ts';
import { buildBloomFilter, hash32 } from './bloom-filter.ts';
import { encodeFooter, encodeMeta, type BlockMeta } from './sstable-meta.ts';
import { DEFAULT_BLOCK_COMPRESSION, DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_BLOOM_BITS_PER_KEY, FORMAT_VERSION, type BlockCompression } from './format.ts';
import { encodeStoredBlock } from './block-codec.ts';
import { EPOCH_LEN, compareFullKeys, epochOf, tableIdOf, toHex } from '../key/full-key.ts';
import { encodeValue } from '../key/value.ts';
import type { SstInfo } from '../version/sst-info.ts';

export interface SstableBuilderOptions {
  blockSizeBytes?: number;
  bloomBitsPerKey?: number;
  /** Per-block compression (default DEFAULT_BLOCK_COMPRESSION). */
  compression?: BlockCompression;
  /** Writes format 1 (raw blocks, no codec): only to test that old objects stay readable. */
  legacyFormatV1?: boolean;
}

/** Output of SstableBuilder.finish(): the object bytes and the SstInfo fields except id/path. */
export interface BuiltSstable {
  data: Uint8Array;
  info: Omit<SstInfo, 'id' | 'objectPath'>;
}

/**
 * Builds one SSTable object (layout in format.ts) from full keys in strictly ascending order.
 * Values are puts (bytes) or tombstones (null), or already encoded with `addEncoded`.
 */
export class SstableBuilder {
  private readonly blockSizeBytes: number;
  private readonly bloomBitsPerKey: number;
  private readonly compression: BlockCompression;
  private readonly formatVersion: number;
  private readonly block = new BlockBuilder();
  /** Finished blocks not yet handed out (drainBlocks) and their byte count. */
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  private drained = false;
  private readonly blocks: BlockMeta[] = [];
  private readonly userKeyHashes: number[] = [];
  private readonly tableIds = new Set<number>();
  private offset = 0;
  private smallest: Uint8Array | null = null;
  private largest: Uint8Array | null = null;
  /** Keys holding the smallest / largest epoch so far. */
  private minEpochKey: Uint8Array | null = null;
  private maxEpochKey: Uint8Array | null = null;
  private keyCount = 0;
  private rawBytes = 0;

  constructor(opts: SstableBuilderOptions = {}) {
    this.blockSizeBytes = opts.blockSizeBytes ?? DEFAULT_BLOCK_SIZE_BYTES;
    this.bloomBitsPerKey = opts.bloomBitsPerKey ?? DEFAULT_BLOOM_BITS_PER_KEY;
    this.compression = opts.compression ?? DEFAULT_BLOCK_COMPRESSION;
    this.formatVersion = opts.legacyFormatV1 ? 1 : FORMAT_VERSION;
  }

  add(fullKey: Uint8Array, value: Uint8Array | null): void {
    this.addEncoded(fullKey, encodeValue(value));
  }

  /** Adds an entry whose value is already encoded (key/value.ts). */
  addEncoded(fullKey: Uint8Array, encodedValue: Uint8Array): void {
    const last = this.largest;
    if (last !== null && compareFullKeys(last, fullKey) >= 0) throw new Error('assertion failed: SstableBuilder keys must ascend');
    if (last === null || !sameUserKey(last, fullKey)) {
      this.userKeyHashes.push(hash32(fullKey.subarray(0, fullKey.length - EPOCH_LEN)));
      this.tableIds.add(tableIdOf(fullKey));
    }
    // Track the epoch range on the stored (inverted) bytes: no bigint per entry.
    if (this.minEpochKey === null || compareEpochBytes(fullKey, this.minEpochKey) > 0) this.minEpochKey = fullKey;
    if (this.maxEpochKey === null || compareEpochBytes(fullKey, this.maxEpochKey) < 0) this.maxEpochKey = fullKey;
    if (this.smallest === null) this.smallest = fullKey;
    this.largest = fullKey;
    this.block.add(fullKey, encodedValue);
    this.keyCount++;
    this.rawBytes += fullKey.length + encodedValue.length;
    if (this.block.estimatedSizeBytes() >= this.blockSizeBytes) this.flushBlock();
  }

  isEmpty(): boolean {
    return this.keyCount === 0;
  }

  /** Approximate object size so far. */
  estimatedSizeBytes(): number {
    return this.offset + this.block.estimatedSizeBytes();
  }

  /** The last full key added (null when empty). */
  lastKey(): Uint8Array | null {
    return this.largest;
  }

  private flushBlock(): void {
    if (this.block.isEmpty()) return;
    const firstKey = this.block.first();
    const lastKey = this.block.last();
    const raw = this.block.finish();
    const bytes = this.formatVersion >= 2 ? encodeStoredBlock(raw, this.compression) : raw;
    this.blocks.push({ offset: this.offset, length: bytes.length, firstKey, lastKey });
    this.chunks.push(bytes);
    this.chunkBytes += bytes.length;
    this.offset += bytes.length;
  }

  /** Bytes of finished blocks not yet drained. */
  pendingBytes(): number {
    return this.chunkBytes;
  }

  /**
   * Hands out the finished blocks (in object order) and forgets them: a streaming writer uploads
   * them while the SSTable is still being built. End with `finishTail`, not `finish`.
   */
  drainBlocks(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    this.chunkBytes = 0;
    this.drained = true;
    return out;
  }

  /** The whole object. Precondition: at least one entry was added and nothing was drained. */
  finish(): BuiltSstable {
    if (this.drained) throw new Error('assertion failed: SstableBuilder.finish after drainBlocks (use finishTail)');
    const { tail, info } = this.finishTail();
    return { data: tail, info };
  }

  /**
   * The object's remaining bytes (blocks not drained yet, meta, footer) and its info (fileSize is
   * the whole object's). Precondition: at least one entry was added.
   */
  finishTail(): { tail: Uint8Array; info: BuiltSstable['info'] } {
    if (this.keyCount === 0) throw new Error('assertion failed: empty SSTable');
    this.flushBlock();
    const minEpoch = epochOf(this.minEpochKey!);
    const maxEpoch = epochOf(this.maxEpochKey!);
    const meta = encodeMeta({
      blocks: this.blocks,
      bloomFilter: buildBloomFilter(this.userKeyHashes, this.bloomBitsPerKey),
      smallestKey: this.smallest!,
      largestKey: this.largest!,
      minEpoch,
      maxEpoch,
      keyCount: this.keyCount,
      tableIds: [...this.tableIds].sort((a, b) => a - b),
    });
    const footer = encodeFooter({ metaOffset: this.offset, metaLength: meta.length, metaCrc: crc32(meta) }, this.formatVersion);
    const data = new Uint8Array(this.chunkBytes + meta.length + footer.length);
    let p = 0;
    for (const c of this.chunks) {
      data.set(c, p);
      p += c.length;
    }
    data.set(meta, p);
    data.set(footer, p + meta.length);
    this.chunks = [];
    this.chunkBytes = 0;
    return {
      tail: data,
      info: {
        smallestKey: toHex(this.smallest!),
        largestKey: toHex(this.largest!),
        fileSize: this.offset + meta.length + footer.length,
        minEpoch: minEpoch.toString(),
        maxEpoch: maxEpoch.toString(),
        tableIds: [...this.tableIds].sort((a, b) => a - b),
        keyCount: this.keyCount,
      },
    };
  }
}

function sameUserKey(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - EPOCH_LEN - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

/** Compares the stored (inverted) epoch bytes of two full keys. */
function compareEpochBytes(a: Uint8Array, b: Uint8Array): number {
  const oa = a.length - EPOCH_LEN;
  const ob = b.length - EPOCH_LEN;
  for (let i = 0; i < EPOCH_LEN; i++) {
    const d = a[oa + i] - b[ob + i];
    if (d !== 0) return d;
  }
  return 0;
}
