import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetaStore } from '../meta-store/sqlite-meta-store.ts';
import type { MetaStore } from '../meta-store/meta-store.ts';
import { IdGenerator } from './id-generator.ts';

/** A store whose reads and writes take a while, as a remote PostgreSQL meta store's do. */
function slow(store: MetaStore): MetaStore {
  const pause = () => new Promise((r) => setTimeout(r, 5));
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'get' && prop !== 'txn') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => { await pause(); return (v as (...a: unknown[]) => unknown).apply(target, args); };
    },
  });
}

test('overlapping calls never get the same id (every compute node asks for SST ids at one checkpoint), across block refills and a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'id-generator-'));
  try {
    const url = `sqlite://${join(dir, 'meta.db')}`;
    const store = slow(openMetaStore(url));
    const ids = new IdGenerator(store, 'sst', 4);
    const firsts = await Promise.all([1, 1, 1, 3, 2, 5, 1].map((n) => ids.nextIds(n).then((start) => ({ start, n }))));
    const taken = firsts.flatMap(({ start, n }) => Array.from({ length: n }, (_, i) => start + i));
    assert.equal(new Set(taken).size, taken.length, `ids handed out twice: ${JSON.stringify(firsts)}`);
    assert.ok(taken.every((id) => id >= 1));
    await store.close();
    const restarted = new IdGenerator(openMetaStore(url), 'sst', 4);
    const after = await restarted.nextId();
    assert.ok(after > Math.max(...taken), `after a restart ${after} follows every id handed out before (max ${Math.max(...taken)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
