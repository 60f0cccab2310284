import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryObjectStore } from './memory.ts';
import { FsObjectStore } from './fs.ts';
import { S3ObjectStore } from './s3.ts';
import { createObjectStore } from './object-store-url.ts';
import { checkObjectStoreContract } from './object-store-contract.ts';

test('memory object store', async () => {
  await checkObjectStoreContract(new MemoryObjectStore());
});

test('fs object store round trip in a temp dir, no temp files left', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-fs-'));
  try {
    await checkObjectStoreContract(createObjectStore(`fs://${dir}`));
    assert.deepEqual(await readdir(join(dir, 'c', 'sst')), ['1.data']);
    const plain = createObjectStore(dir);
    assert.ok(plain instanceof FsObjectStore);
    assert.deepEqual((await plain.list('c/')).map((o) => o.path), ['c/meta/x', 'c/sst/1.data']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('createObjectStore parses URLs', () => {
  assert.ok(createObjectStore('memory://') instanceof MemoryObjectStore);
  assert.equal(createObjectStore('memory://a'), createObjectStore('memory://a'), 'one URL, one store per process');
  assert.notEqual(createObjectStore('memory://a'), createObjectStore('memory://b'));
  assert.ok(createObjectStore('s3://bucket/some/prefix') instanceof S3ObjectStore);
  assert.throws(() => createObjectStore('fs://relative/path'), /absolute/);
  assert.throws(() => createObjectStore('gs://x'), /invalid object store URL/);
});
