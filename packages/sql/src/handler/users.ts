import { CatalogError, privilegeKey, SqlState } from '@tributary/common';
import { makeVerifiers, type StatementResult } from '../pgwire/index.ts';
import { requireSuperuser } from '../session/privileges.ts';
import type { UtilityStatement } from '../session/utility-statement.ts';
import { splitQualified } from '../session/search-path.ts';
import type { HandlerContext } from './handler-context.ts';
import { command } from './result.ts';

type UserStatement = Extract<UtilityStatement, { kind: 'create_user' | 'alter_user' | 'drop_user' | 'grant' }>;

const secretsOf = (name: string, password: string | null) => (password ? makeVerifiers(name, password) : null);

/**
 * CREATE/ALTER/DROP USER and GRANT/REVOKE. Users live in meta (persisted, notified to every
 * frontend); passwords are turned into SCRAM and md5 verifiers here and never leave in clear.
 * Superusers manage users; a user may change its own password; owners grant on their tables.
 */
export async function handleUserStatement(ctx: HandlerContext, u: UserStatement): Promise<StatementResult> {
  const meta = ctx.meta;
  switch (u.kind) {
    case 'create_user':
      requireSuperuser(meta, ctx.user, 'create role');
      await meta.userDdl({ op: 'create', name: u.name, superuser: u.superuser ?? false, secrets: secretsOf(u.name, u.password) });
      return command('CREATE ROLE');
    case 'alter_user': {
      const selfPasswordOnly = u.name === ctx.user && u.superuser === null;
      if (!selfPasswordOnly) requireSuperuser(meta, ctx.user, 'alter role');
      await meta.userDdl({
        op: 'alter', name: u.name,
        ...(u.superuser !== null ? { superuser: u.superuser } : {}),
        ...(u.password !== null ? { secrets: secretsOf(u.name, u.password) } : {}),
      });
      return command('ALTER ROLE');
    }
    case 'drop_user':
      requireSuperuser(meta, ctx.user, 'drop role');
      if (u.names.includes(ctx.user)) throw new CatalogError(SqlState.ObjectInUse, 'current user cannot be dropped');
      await meta.userDdl({ op: 'drop', names: u.names, ifExists: u.ifExists });
      return command('DROP ROLE');
    case 'grant': {
      const superuser = meta.user(ctx.user)?.superuser ?? false;
      const keys: string[] = [];
      for (const table of u.tables) {
        const rel = ctx.searchPath.resolve(splitQualified(table));
        if (!rel) throw new CatalogError(SqlState.UndefinedTable, `relation "${table}" does not exist`);
        if (!superuser && rel.owner !== ctx.user) throw new CatalogError(SqlState.InsufficientPrivilege, `permission denied for table ${table}`);
        keys.push(privilegeKey(rel));
      }
      await meta.userDdl({ op: 'grant', revoke: u.revoke, privileges: u.privileges, tables: keys, users: u.users });
      return command(u.revoke ? 'REVOKE' : 'GRANT');
    }
  }
}
