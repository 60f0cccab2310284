import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { S3ObjectStore } from './s3.ts';
import { checkObjectStoreContract, checkStreamingUpload } from './object-store-contract.ts';
import { SstableBuilder } from '../sstable/sstable-builder.ts';
import { SstableStore } from '../sstable/sstable-reader.ts';
import { SstableIterator } from '../sstable/sstable-iterator.ts';
import { fullKey, userKey } from '../key/full-key.ts';

const BUCKET = 'tributary-test';

function s3rverBin(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
  } catch {
    return null;
  }
}

/** Starts s3rver on a free loopback port as a child process; resolves its endpoint. */
async function startS3rver(bin: string, dir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent', '--configure-bucket', BUCKET],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${out}`)), 15_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on ([\d.]+):(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}:${m[2]}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${out}`)));
  });
  return { child, endpoint };
}

const bin = s3rverBin();

test('s3 object store against s3rver', { skip: bin === null ? 's3rver is not installed' : false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-s3rver-'));
  const { child, endpoint } = await startS3rver(bin!, dir);
  const store = new S3ObjectStore({
    bucket: BUCKET,
    prefix: 'cluster-a',
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    await checkObjectStoreContract(store);
    // Multipart: 12 MiB in 1 MiB pieces with 5 MiB parts is three parts (the last one short).
    await checkStreamingUpload(new S3ObjectStore({ bucket: BUCKET, prefix: 'cluster-a', endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, partSizeBytes: 5 << 20 }), 12, 1 << 20);

    // An SSTable read through ranged GETs.
    const b = new SstableBuilder({ blockSizeBytes: 512 });
    for (let i = 0; i < 300; i++) b.add(fullKey(userKey(1, 0, new TextEncoder().encode(`k${String(i).padStart(4, '0')}`)), 7n), new Uint8Array([i & 0xff]));
    const built = b.finish();
    const info = { id: 9, objectPath: 'c/sst/9.data', ...built.info };
    await store.put(info.objectPath, built.data);
    const it = new SstableIterator(new SstableStore(store), info);
    await it.seek(new Uint8Array(0));
    let n = 0;
    while (it.valid()) {
      assert.equal(it.value()[1], n & 0xff);
      n++;
      const p = it.next();
      if (p) await p;
    }
    assert.equal(n, 300);
  } finally {
    await store.close();
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
});

test('s3 object store retries then fails with an IoError naming the object', async () => {
  // Nothing listens on this port: connection refused is transient, so it is retried.
  const store = new S3ObjectStore({
    bucket: BUCKET,
    prefix: 'p',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 2,
  });
  const started = Date.now();
  await assert.rejects(store.get('c/sst/1.data'), (e: Error & { code?: string }) => e.code === '58030' && e.message.includes('c/sst/1.data'));
  assert.ok(Date.now() - started >= 40, 'backed off between attempts');
  await store.close();
});
