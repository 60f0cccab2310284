import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MergeIterator } from './merge-iterator.ts';
import { UserIterator } from './user-iterator.ts';
import { SharedBufferBatch } from '../memtable/shared-buffer-batch.ts';
import { SstableBuilder } from '../sstable/sstable-builder.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';
import { MemoryObjectStore } from '../object-store/memory.ts';
import { fullKey, userKey } from '../key/full-key.ts';
import type { StateIterator } from './iterator.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const k = (s: string) => userKey(1, 0, enc.encode(s));
const v = (s: string) => enc.encode(s);

async function scan(sources: StateIterator[], epoch: bigint, start = k(''), end: Uint8Array | null = null) {
  const it = new UserIterator(new MergeIterator(sources), epoch, start, end);
  await it.seek();
  const out: string[] = [];
  while (it.valid()) {
    out.push(`${dec.decode(it.key().subarray(6))}=${dec.decode(it.value())}`);
    const p = it.next();
    if (p) await p;
  }
  return out;
}

/** Epoch 1 and 2 as an SST (async source), epochs 3 and 4 as buffer batches. */
async function sources(): Promise<StateIterator[]> {
  const b = new SstableBuilder({ blockSizeBytes: 64 });
  const rows: [string, bigint, string | null][] = [
    ['a', 2n, 'a2'],
    ['a', 1n, 'a1'],
    ['b', 1n, 'b1'],
    ['c', 2n, null],
    ['c', 1n, 'c1'],
    ['d', 2n, 'd2'],
  ];
  for (const [key, e, val] of rows) b.add(fullKey(k(key), e), val === null ? null : v(val));
  const built = b.finish();
  const store = new MemoryObjectStore();
  await store.put('s/1', built.data);
  const sst = new SstableIterator(new SstableStore(store), { id: 1, objectPath: 's/1', ...built.info });
  const b3 = new SharedBufferBatch(3n, 1, [[k('b'), null], [k('e'), v('e3')], [k('a'), v('a3')]]);
  const b4 = new SharedBufferBatch(4n, 2, [[k('d'), null], [k('c'), v('c4')], [k('c'), v('c4b')]]);
  return [b4.iter(), b3.iter(), sst];
}

test('user iterator shows the newest version at or below the read epoch', async () => {
  assert.deepEqual(await scan(await sources(), 0n), []);
  assert.deepEqual(await scan(await sources(), 1n), ['a=a1', 'b=b1', 'c=c1']);
  assert.deepEqual(await scan(await sources(), 2n), ['a=a2', 'b=b1', 'd=d2']);
  assert.deepEqual(await scan(await sources(), 3n), ['a=a3', 'd=d2', 'e=e3']);
  assert.deepEqual(await scan(await sources(), 4n), ['a=a3', 'c=c4b', 'e=e3']);
  assert.deepEqual(await scan(await sources(), 100n), ['a=a3', 'c=c4b', 'e=e3']);
});

test('user iterator respects [start, end)', async () => {
  assert.deepEqual(await scan(await sources(), 2n, k('b'), k('d')), ['b=b1']);
  assert.deepEqual(await scan(await sources(), 4n, k('b'), null), ['c=c4b', 'e=e3']);
  assert.deepEqual(await scan(await sources(), 4n, k('a'), k('a')), []);
});

test('merge iterator breaks ties by source order', async () => {
  const newer = new SharedBufferBatch(5n, 2, [[k('x'), v('new')]]);
  const older = new SharedBufferBatch(5n, 1, [[k('x'), v('old')]]);
  assert.deepEqual(await scan([newer.iter(), older.iter()], 5n), ['x=new']);
  assert.deepEqual(await scan([older.iter(), newer.iter()], 5n), ['x=old']);
  const m = new MergeIterator([newer.iter(), older.iter()]);
  await m.seek(new Uint8Array(0));
  let n = 0;
  while (m.valid()) {
    n++;
    m.next();
  }
  assert.equal(n, 2);
});
