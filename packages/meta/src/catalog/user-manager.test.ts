import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetaStore } from '../meta-store/sqlite-meta-store.ts';
import { ROOT_USER, UserManager } from './user-manager.ts';

const secrets = { scram: 'SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5', md5: 'md5abc' };

test('users and grants survive a reload from the meta store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'user-manager-'));
  try {
    const store = openMetaStore(`sqlite://${join(dir, 'meta.db')}`);
    const users = new UserManager(store);
    await users.load();
    assert.deepEqual(users.all().map((u) => [u.name, u.superuser]), [[ROOT_USER, true]]);
    await users.apply({ op: 'create', name: 'alice', superuser: false, secrets });
    await users.apply({ op: 'create', name: 'bob', superuser: false, secrets: null });
    await users.apply({ op: 'grant', revoke: false, privileges: ['select', 'insert'], tables: ['t', 'u'], users: ['alice'] });
    await users.apply({ op: 'grant', revoke: true, privileges: ['insert'], tables: ['u'], users: ['alice'] });
    await users.apply({ op: 'drop', names: ['bob'], ifExists: false });
    await assert.rejects(users.apply({ op: 'create', name: 'alice', superuser: false, secrets: null }), (e: { code: string }) => e.code === '42710');
    await assert.rejects(users.apply({ op: 'drop', names: ['root'], ifExists: false }), (e: { code: string }) => e.code === '42501');
    await assert.rejects(users.apply({ op: 'grant', revoke: false, privileges: ['select'], tables: ['t'], users: ['nobody'] }), (e: { code: string }) => e.code === '42704');
    assert.equal(users.version, 5);
    await store.close();

    const reopened = new UserManager(openMetaStore(`sqlite://${join(dir, 'meta.db')}`));
    await reopened.load();
    const alice = reopened.all().find((u) => u.name === 'alice')!;
    assert.deepEqual(alice, { name: 'alice', superuser: false, secrets, privileges: { t: ['insert', 'select'], u: ['select'] } });
    assert.equal(reopened.all().some((u) => u.name === 'bob'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
