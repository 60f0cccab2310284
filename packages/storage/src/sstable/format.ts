/**
 * SSTable object layout (all integers little-endian unless noted; keys are full keys, sorted by
 * compareFullKeys: user key, then newest epoch first).
 *
 * ```
 * +--------------+--------------+-----+------------------+------------------+
 * | data block 0 | data block 1 | ... | meta block       | footer (32 bytes)|
 * +--------------+--------------+-----+------------------+------------------+
 *
 * data block:
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
export const FORMAT_VERSION = 1;
/** "TRIBSST1" as a little-endian u64. */
export const MAGIC = 0x3154_5353_4249_5254n;
export const RESTART_INTERVAL = 16;
export const DEFAULT_BLOCK_SIZE_BYTES = 64 * 1024;
export const DEFAULT_BLOOM_BITS_PER_KEY = 10;
/** Bytes after the entries of a block besides the restart array: count u32 + crc u32. */
export const BLOCK_TRAILER_LEN = 8;
