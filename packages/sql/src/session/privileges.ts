import { DbError, privilegeKey, SqlState, type TableCatalog } from '@tributary/common';
import type { ParsedStatement } from '../parser/index.ts';
import type { UserInfo } from './user-info.ts';
import type { UtilityStatement } from './utility-statement.ts';

export type Privilege = 'select' | 'insert' | 'update' | 'delete';

/** What the privilege check needs of the cluster view. */
export interface PrivilegeCatalog {
  user(name: string): UserInfo | undefined;
  /** `t` (through the search path) or `s.t`. */
  relation(name: string): TableCatalog | undefined;
}

function qualified(name: { name: string; schema?: string }): string {
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}

/** Names of the relations an AST reads (`{type: 'table', name: {name}}` nodes: FROM items, joins). */
export function relationsIn(ast: unknown): string[] {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const o = node as { type?: unknown; name?: { name?: unknown; schema?: unknown } };
      if (o.type === 'table' && typeof o.name?.name === 'string') out.add(qualified(o.name as { name: string; schema?: string }));
      Object.values(node).forEach(visit);
    }
  };
  visit(ast);
  return [...out];
}

/** The (relation, privilege) pairs a statement needs; DDL on a relation needs ownership ('owner'). */
function required(p: ParsedStatement | UtilityStatement): Array<[string, Privilege | 'owner']> {
  const reads = (ast: unknown, except?: string): Array<[string, Privilege]> =>
    relationsIn(ast).filter((n) => n !== except).map((n) => [n, 'select']);
  switch (p.kind) {
    case 'ast': {
      const ast = p.ast;
      switch (ast.type) {
        case 'select': return reads(ast);
        case 'insert': return [[qualified(ast.into), 'insert'], ...reads(ast.insert, qualified(ast.into))];
        case 'update': return [[qualified(ast.table), 'update'], ...reads(ast.from ?? null)];
        case 'delete': return [[qualified(ast.from), 'delete']];
        default: return [];
      }
    }
    case 'create_mv': return reads(p.query);
    case 'drop': return p.names.map((n) => [n, 'owner']);
    case 'copy_from': return [[p.table, 'insert']];
    case 'copy_to': return p.table ? [[p.table, 'select']] : [];
    default: return [];
  }
}

/**
 * Checks `user` may run the statement: superusers and relation owners may do anything; others
 * need the privilege granted on each relation touched. Throws 42501 naming the first missing one.
 * `COPY (query) TO` is checked when its query runs (handleCopyTo plans it through the session).
 */
export function checkPrivileges(catalog: PrivilegeCatalog, userName: string, p: ParsedStatement | UtilityStatement): void {
  const user = catalog.user(userName);
  if (user?.superuser) return;
  for (const [name, privilege] of required(p)) {
    const rel = catalog.relation(name);
    if (!rel || rel.owner === userName) continue; // missing relations fail later with 42P01
    if (privilege !== 'owner' && user?.privileges[privilegeKey(rel)]?.includes(privilege)) continue;
    const what = rel.kind === 'table' ? 'table' : rel.kind;
    throw new DbError(SqlState.InsufficientPrivilege,
      privilege === 'owner' ? `must be owner of ${what} ${name}` : `permission denied for ${what} ${name}`);
  }
}

/** 42501 unless `userName` is a superuser. */
export function requireSuperuser(catalog: Pick<PrivilegeCatalog, 'user'>, userName: string, action: string): void {
  if (!catalog.user(userName)?.superuser) throw new DbError(SqlState.InsufficientPrivilege, `permission denied to ${action}`);
}
