import { CatalogError, relationDisplayName, SqlState } from '@tributary/common';
import type { StatementResult } from '../pgwire/index.ts';
import { requireSuperuser } from '../session/privileges.ts';
import type { HandlerContext } from './handler-context.ts';
import { command } from './result.ts';

/** `CREATE SCHEMA [IF NOT EXISTS] s [AUTHORIZATION role]`: 42P06 when it exists. */
export async function handleCreateSchema(
  ctx: HandlerContext, name: string, ifNotExists: boolean, authorization: string | null,
): Promise<StatementResult> {
  const owner = authorization ?? ctx.user;
  if (authorization !== null && !ctx.meta.user(authorization)) {
    throw new CatalogError(SqlState.UndefinedObject, `role "${authorization}" does not exist`);
  }
  if (owner !== ctx.user) requireSuperuser(ctx.meta, ctx.user, 'create a schema for another role');
  if (ctx.namespace.schema(name) && ifNotExists) {
    return { kind: 'command', tag: 'CREATE SCHEMA', notices: [`schema "${name}" already exists, skipping`] };
  }
  await ctx.meta.namespaceDdl({ op: 'create_schema', database: ctx.database, name, owner, ifNotExists });
  return command('CREATE SCHEMA');
}

/** `DROP SCHEMA [IF EXISTS] a, b [CASCADE]`: 3F000 unknown, 2BP01 not empty without CASCADE. */
export async function handleDropSchema(ctx: HandlerContext, names: string[], ifExists: boolean, cascade: boolean): Promise<StatementResult> {
  const superuser = ctx.meta.user(ctx.user)?.superuser ?? false;
  const notices: string[] = [];
  for (const name of names) {
    const schema = ctx.namespace.schema(name);
    if (schema && !superuser && schema.owner !== ctx.user) {
      throw new CatalogError(SqlState.InsufficientPrivilege, `must be owner of schema ${name}`);
    }
    if (!schema && ifExists) notices.push(`schema "${name}" does not exist, skipping`);
    if (schema && cascade) notices.push(...cascadeNotice(ctx, name));
  }
  await ctx.meta.namespaceDdl({ op: 'drop_schema', database: ctx.database, names, ifExists, cascade });
  return { kind: 'command', tag: 'DROP SCHEMA', notices };
}

/** PostgreSQL's NOTICE of what DROP SCHEMA ... CASCADE drops (meta decides the same set). */
function cascadeNotice(ctx: HandlerContext, schema: string): string[] {
  const all = ctx.namespace.relations();
  const dropped = new Set(all.filter((r) => r.schemaName === schema).map((r) => r.id));
  for (let grew = true; grew;) {
    grew = false;
    for (const r of all) {
      if (!dropped.has(r.id) && r.dependsOn.some((d) => dropped.has(d))) {
        dropped.add(r.id);
        grew = true;
      }
    }
  }
  const victims = all.filter((r) => dropped.has(r.id));
  if (victims.length === 0) return [];
  if (victims.length === 1) return [`drop cascades to ${victims[0].kind} ${relationDisplayName(victims[0])}`];
  return [`drop cascades to ${victims.length} other objects`];
}

/** `CREATE DATABASE d`: recorded in the catalog (superusers only); 42P04 when it exists. */
export async function handleCreateDatabase(ctx: HandlerContext, name: string): Promise<StatementResult> {
  requireSuperuser(ctx.meta, ctx.user, 'create database');
  await ctx.meta.namespaceDdl({ op: 'create_database', name, owner: ctx.user });
  return command('CREATE DATABASE');
}

/** Sessions on `database`, waiting up to 5 s for them to end (PostgreSQL's CountOtherDBBackends: a client that just disconnected may not be gone yet). */
async function otherSessionsAfterWait(ctx: HandlerContext, database: string): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const n = await ctx.meta.sessionsOn(database);
    if (n === 0 || Date.now() >= deadline || ctx.signal.aborted) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `DROP DATABASE [IF EXISTS] d`: not the session's own database, nor one other sessions use
 * (55006, as PostgreSQL); everything in it is dropped with it.
 */
export async function handleDropDatabase(ctx: HandlerContext, names: string[], ifExists: boolean): Promise<StatementResult> {
  requireSuperuser(ctx.meta, ctx.user, 'drop database');
  for (const name of names) {
    if (name === ctx.database) throw new CatalogError(SqlState.ObjectInUse, 'cannot drop the currently open database');
    const others = ctx.meta.database(name) ? await otherSessionsAfterWait(ctx, name) : 0;
    if (others > 0) {
      throw new CatalogError(SqlState.ObjectInUse, `database "${name}" is being accessed by other users`, {
        detail: others === 1 ? 'There is 1 other session using the database.' : `There are ${others} other sessions using the database.`,
      });
    }
    await ctx.meta.namespaceDdl({ op: 'drop_database', name, ifExists });
  }
  return command('DROP DATABASE');
}
