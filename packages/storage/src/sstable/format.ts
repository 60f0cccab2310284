/**
 * SSTable object layout (all integers little-endian unless noted; keys are full keys, sorted by
 * compareFullKeys: user key, then newest epoch first).
 *
 * ```
 * +--------------+--------------+-----+------------------+------------------+
 * | data block 0 | data block 1 | ... | meta block       | footer (32 bytes)|
 * +--------------+--------------+-----+------------------+------------------+
 *
 * stored data block (format 2; format 1 stores the raw block alone):
 * +------------------------------------+---------------+-----------+-----------+
 * | payload (raw block, or lz4 of it)  | raw len (u32) | codec u8  | crc32 u32 |
 * +------------------------------------+---------------+-----------+-----------+
 *   codec 0 = none (payload is the raw block), 1 = lz4 (lz4-napi block format, size-prefixed);
 *   crc32 covers payload, raw len and codec. Compression is kept only if it saves >= 1/8.
 *
 * raw data block:
 * +---------+---------+-----+--------------------------+--------------+-----------+
 * | entry 0 | entry 1 | ... | restart offsets (u32 * n)| n (u32)      | crc32(u32)|
 * +---------+---------+-----+--------------------------+--------------+-----------+
 *   entry = [shared prefix len varint][unshared len varint][value len varint]
 *           [unshared key bytes][value]
 *   a restart entry (every RESTART_INTERVAL entries) has shared = 0;
 *   crc32 covers every byte of the block before it.
 *   value = [tag u8: 1 put | 0 delete][row bytes]            (see key/value.ts)
 *
 * meta block (lengths and counts are varints, byte strings are varint length + bytes):
 *   block count, then per block: offset, length, first key, last key
 *   bloom filter bytes
 *   smallest key, largest key, min epoch (u64), max epoch (u64), key count,
 *   table id count, table ids (varint each)
 *   crc32 (u32) of everything before it in the meta block
 *
 * footer:
 * +--------------+------------+-------------+----------------+-----------+----------+
 * | meta offset  | meta len   | meta crc32  | format version | footer crc| magic    |
 * | u64          | u32        | u32         | u32            | u32       | u64      |
 * +--------------+------------+-------------+----------------+-----------+----------+
 *   footer crc covers the 20 bytes before it.
 * ```
 */

export const FOOTER_LEN = 32;
/** Written by this version. 2: stored blocks carry a codec (compression). */
export const FORMAT_VERSION = 2;
/** Oldest format still readable (1: raw blocks, no codec trailer). */
export const MIN_READABLE_FORMAT_VERSION = 1;
/** Bytes after a stored block's payload: raw length u32 + codec u8 + crc32 u32. */
export const STORED_BLOCK_TRAILER_LEN = 9;
/** Codec byte of a stored block. */
export const BLOCK_CODEC = { none: 0, lz4: 1 } as const;
export type BlockCompression = 'none' | 'lz4';
/** lz4: ~3.3x smaller blocks at ~400 MB/s compress, ~190 MB/s decompress (bench/storage.ts). */
export const DEFAULT_BLOCK_COMPRESSION: BlockCompression = 'lz4';
/** "TRIBSST1" as a little-endian u64. */
export const MAGIC = 0x3154_5353_4249_5254n;
export const RESTART_INTERVAL = 16;
export const DEFAULT_BLOCK_SIZE_BYTES = 64 * 1024;
export const DEFAULT_BLOOM_BITS_PER_KEY = 10;
/** Bytes after the entries of a block besides the restart array: count u32 + crc u32. */
export const BLOCK_TRAILER_LEN = 8;
