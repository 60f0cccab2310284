import { CatalogError, SqlState, type UserDdl, type UserInfo, type UserSecrets } from '@tributary/common';

export type { UserDdl, UserInfo, UserSecrets };
import type { MetaStore, MetaStoreOp } from '../meta-store/meta-store.ts';

/** Column family of the users: key = user name, value = UserInfo JSON. */
export const USERS_CF = 'users';

/** The bootstrap superuser: always exists, cannot be dropped. */
export const ROOT_USER = 'root';

/**
 * Users and their table privileges, in memory and written through the meta store (CF 'users').
 * `version` increases with every change, so frontends can ignore stale notifications.
 */
export class UserManager {
  private readonly users = new Map<string, UserInfo>();
  version = 0;

  constructor(private readonly store: MetaStore) {}

  async load(): Promise<void> {
    for (const [, json] of await this.store.list(USERS_CF)) {
      const user = JSON.parse(json) as UserInfo;
      this.users.set(user.name, user);
    }
    if (!this.users.has(ROOT_USER)) this.users.set(ROOT_USER, { name: ROOT_USER, superuser: true, secrets: null, privileges: {} });
  }

  all(): UserInfo[] {
    return [...this.users.values()];
  }

  /** What frontends receive (snapshot field `users`, notification kind 'users'). */
  snapshot(): { version: number; users: UserInfo[] } {
    return { version: this.version, users: this.all() };
  }

  /** Validates, persists and applies one user DDL. Throws 42710 / 42704 / 55006-like errors. */
  async apply(ddl: UserDdl): Promise<void> {
    const changed = this.plan(ddl);
    const ops = changed.map(([name, user]) => (user
      ? { kind: 'put' as const, cf: USERS_CF, key: name, value: JSON.stringify(user) }
      : { kind: 'delete' as const, cf: USERS_CF, key: name }));
    await this.store.txn(ops);
    for (const [name, user] of changed) {
      if (user) this.users.set(name, user);
      else this.users.delete(name);
    }
    this.version++;
  }

  /**
   * Removing every grant on the relations whose privilege keys are `keys` (their DROP: as in
   * PostgreSQL, a relation's grants go with it, so a later relation of the same name starts with
   * none). The ops join the drop's commit; `apply` changes memory after it and says whether any
   * user changed.
   */
  dropGrantsOps(keys: string[]): { ops: MetaStoreOp[]; apply(): boolean } {
    const gone = new Set(keys);
    const changed = this.all().filter((u) => Object.keys(u.privileges).some((k) => gone.has(k)))
      .map((u) => ({ ...u, privileges: Object.fromEntries(Object.entries(u.privileges).filter(([k]) => !gone.has(k))) }));
    return {
      ops: changed.map((u) => ({ kind: 'put' as const, cf: USERS_CF, key: u.name, value: JSON.stringify(u) })),
      apply: () => {
        for (const u of changed) if (this.users.has(u.name)) this.users.set(u.name, u);
        if (changed.length > 0) this.version++;
        return changed.length > 0;
      },
    };
  }

  /** The users `ddl` changes (null = deleted), without applying them. */
  private plan(ddl: UserDdl): Array<[string, UserInfo | null]> {
    switch (ddl.op) {
      case 'create':
        if (this.users.has(ddl.name)) throw new CatalogError(SqlState.DuplicateObject, `role "${ddl.name}" already exists`);
        return [[ddl.name, { name: ddl.name, superuser: ddl.superuser, secrets: ddl.secrets, privileges: {} }]];
      case 'alter': {
        const user = this.required(ddl.name);
        return [[ddl.name, {
          ...user,
          ...(ddl.superuser !== undefined ? { superuser: ddl.superuser } : {}),
          ...(ddl.secrets !== undefined ? { secrets: ddl.secrets } : {}),
        }]];
      }
      case 'drop':
        return ddl.names.flatMap((name): Array<[string, UserInfo | null]> => {
          if (name === ROOT_USER) throw new CatalogError(SqlState.InsufficientPrivilege, `cannot drop the bootstrap user "${ROOT_USER}"`);
          if (!this.users.has(name)) {
            if (ddl.ifExists) return [];
            throw new CatalogError(SqlState.UndefinedObject, `role "${name}" does not exist`);
          }
          return [[name, null]];
        });
      case 'grant':
        return ddl.users.map((name) => {
          const user = this.required(name);
          const privileges = { ...user.privileges };
          for (const table of ddl.tables) {
            const set = new Set(privileges[table] ?? []);
            for (const p of ddl.privileges) {
              if (ddl.revoke) set.delete(p);
              else set.add(p);
            }
            if (set.size === 0) delete privileges[table];
            else privileges[table] = [...set].sort();
          }
          return [name, { ...user, privileges }];
        });
    }
  }

  private required(name: string): UserInfo {
    const user = this.users.get(name);
    if (!user) throw new CatalogError(SqlState.UndefinedObject, `role "${name}" does not exist`);
    return user;
  }
}
