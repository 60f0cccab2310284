import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SstableBuilder, type SstableBuilderOptions } from './sstable-builder.ts';
import { SstableStore } from './sstable-reader.ts';
import { SstableIterator } from './sstable-iterator.ts';
import { encodeStoredBlock, decodeStoredBlock } from './block-codec.ts';
import { MemoryObjectStore } from '../object-store/memory.ts';
import { fullKey, userKey } from '../key/full-key.ts';

const enc = new TextEncoder();

async function roundTrip(opts: SstableBuilderOptions): Promise<{ size: number; rows: number }> {
  const b = new SstableBuilder({ blockSizeBytes: 4096, ...opts });
  for (let i = 0; i < 2000; i++) b.add(fullKey(userKey(1, 0, enc.encode(`pk-${String(i).padStart(6, '0')}`)), 5n), enc.encode(`row ${i % 50} of a fairly repetitive table`));
  const built = b.finish();
  const store = new MemoryObjectStore();
  await store.put('x', built.data);
  const it = new SstableIterator(new SstableStore(store), { id: 1, objectPath: 'x', ...built.info });
  await it.seek(new Uint8Array(0));
  let rows = 0;
  while (it.valid()) {
    rows++;
    const p = it.next();
    if (p) await p;
  }
  return { size: built.data.length, rows };
}

test('lz4, none and legacy format 1 SSTables all read back', async () => {
  const lz4 = await roundTrip({ compression: 'lz4' });
  const none = await roundTrip({ compression: 'none' });
  const v1 = await roundTrip({ legacyFormatV1: true });
  assert.deepEqual([lz4.rows, none.rows, v1.rows], [2000, 2000, 2000]);
  assert.ok(lz4.size < none.size / 2, `lz4 ${lz4.size} vs none ${none.size}`);
});

test('stored block: incompressible data stays raw; corruption is named', () => {
  const random = new Uint8Array(1000).map(() => Math.floor(Math.random() * 256));
  const stored = encodeStoredBlock(random, 'lz4');
  assert.equal(stored[stored.length - 5], 0, 'codec none');
  assert.deepEqual(decodeStoredBlock(stored, 'obj', 3), random);
  const text = enc.encode('abc'.repeat(1000));
  const packed = encodeStoredBlock(text, 'lz4');
  assert.equal(packed[packed.length - 5], 1, 'codec lz4');
  assert.deepEqual(decodeStoredBlock(packed, 'obj', 3), text);
  packed[2] ^= 1;
  assert.throws(() => decodeStoredBlock(packed, 'c/sst/7.data', 3), /corrupted object c\/sst\/7\.data: block 3 checksum mismatch/);
});
