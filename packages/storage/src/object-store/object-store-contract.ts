import assert from 'node:assert/strict';
import type { ObjectStore } from './object-store.ts';

/** Behaviour every ObjectStore backend must have (shared by the backend tests). */
export async function checkObjectStoreContract(store: ObjectStore): Promise<void> {
  const data = new Uint8Array(10_000).map((_, i) => i % 251);
  await store.put('c/sst/1.data', data);
  await store.put('c/sst/2.data', new Uint8Array([1, 2, 3]));
  await store.put('c/meta/x', new Uint8Array(0));
  assert.deepEqual(await store.get('c/sst/1.data'), data);
  assert.deepEqual(await store.getRange('c/sst/1.data', 100, 50), data.subarray(100, 150));
  assert.deepEqual(await store.getRange('c/sst/1.data', 9_990, 50), data.subarray(9_990), 'range past the end is cut');
  assert.equal((await store.getRange('c/sst/1.data', 20_000, 8)).length, 0);
  assert.deepEqual(await store.list('c/sst/'), [
    { path: 'c/sst/1.data', size: 10_000 },
    { path: 'c/sst/2.data', size: 3 },
  ]);
  assert.deepEqual((await store.list('c/')).map((o) => o.path), ['c/meta/x', 'c/sst/1.data', 'c/sst/2.data']);
  assert.deepEqual(await store.get('c/meta/x'), new Uint8Array(0));
  await store.put('c/sst/2.data', new Uint8Array([9]));
  assert.deepEqual(await store.get('c/sst/2.data'), new Uint8Array([9]), 'put replaces');
  await store.delete('c/sst/2.data');
  await store.delete('c/sst/2.data'); // missing: not an error
  await assert.rejects(store.get('c/sst/2.data'), (e: Error & { code?: string }) => e.code === '58030' && e.message.includes('c/sst/2.data'));
  assert.deepEqual((await store.list('c/sst/')).map((o) => o.path), ['c/sst/1.data']);
  assert.deepEqual(await store.list('nothing/'), []);
  await checkStreamingUpload(store, 3, 1000);
}

/** Streaming uploads: visible only after `finish`, with every byte; `abort` leaves nothing. */
export async function checkStreamingUpload(store: ObjectStore, pieces: number, pieceBytes: number): Promise<void> {
  const expected = new Uint8Array(pieces * pieceBytes).map((_, i) => (i * 7) % 253);
  const up = store.upload('c/up/1.data');
  for (let i = 0; i < pieces; i++) await up.write(expected.slice(i * pieceBytes, (i + 1) * pieceBytes));
  assert.deepEqual((await store.list('c/up/')).map((o) => o.path), [], 'not visible before finish');
  await up.finish();
  assert.deepEqual(await store.list('c/up/'), [{ path: 'c/up/1.data', size: expected.length }]);
  assert.deepEqual(await store.get('c/up/1.data'), expected);
  const aborted = store.upload('c/up/2.data');
  await aborted.write(expected.slice(0, pieceBytes));
  await aborted.write(expected.slice(0, pieceBytes));
  await aborted.abort();
  assert.deepEqual((await store.list('c/up/')).map((o) => o.path), ['c/up/1.data'], 'an aborted upload leaves nothing');
  await store.delete('c/up/1.data');
}
