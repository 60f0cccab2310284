import { TYPE_OID, type DataType } from '../types/data-type.ts';
import { lenient, register, strict } from './function-registry.ts';

/**
 * Functions psql and other clients call on the system catalog (`format_type`,
 * `pg_get_userbyid`, ...) plus the POSIX regex operators `~` / `!~` (bound as `regex_match` /
 * `regex_not_match`). Functions that need the frontend's catalog ask `CatalogFunctionLookup`,
 * which the frontend installs once (`setCatalogFunctionLookup`); without one they return NULL.
 */
export interface CatalogFunctionLookup {
  /** The session evaluating the call (`current_user`, `current_schemas`, ...); null outside one. */
  session(): CatalogSessionInfo | null;
  /** pg_table_is_visible: the relation is the first of its name along the session's search path. */
  tableVisible(oid: number): boolean;
  userName(oid: number): string | null;
  viewDefinition(oid: number): string | null;
  indexDefinition(oid: number): string | null;
  constraintDefinition(oid: number): string | null;
}

/** What session functions return. */
export interface CatalogSessionInfo {
  user: string;
  sessionUser: string;
  database: string;
  /** Existing schemas of search_path, in order (without the implicit pg_catalog). */
  searchPath: string[];
}

let lookup: CatalogFunctionLookup | null = null;

export function setCatalogFunctionLookup(l: CatalogFunctionLookup): void {
  lookup = l;
}

const TYPE_NAME_BY_OID = new Map<number, DataType>(Object.entries(TYPE_OID).map(([t, oid]) => [oid, t as DataType]));
const regexCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern, 'u');
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

export function registerCatalogFunctions(): void {
  const v = 'character varying';
  register('regex_match', { args: [v, v], ret: 'boolean', impl: strict((a) => regex(a[1] as string).test(a[0] as string)) });
  register('regex_not_match', { args: [v, v], ret: 'boolean', impl: strict((a) => !regex(a[1] as string).test(a[0] as string)) });
  register('format_type', { args: ['integer', 'integer'], ret: v, impl: lenient((a) =>
    a[0] === null ? null : (TYPE_NAME_BY_OID.get(a[0] as number) ?? '???')) });
  register('pg_table_is_visible', { args: ['integer'], ret: 'boolean', impl: strict((a) => lookup?.tableVisible(a[0] as number) ?? true) });
  register('pg_get_userbyid', { args: ['integer'], ret: v, impl: strict((a) =>
    lookup?.userName(a[0] as number) ?? `unknown (OID=${a[0]})`) });
  register('pg_get_viewdef', { args: ['integer'], ret: v, impl: strict((a) => lookup?.viewDefinition(a[0] as number) ?? null) });
  register('pg_get_viewdef', { args: ['integer', 'boolean'], ret: v, impl: strict((a) => lookup?.viewDefinition(a[0] as number) ?? null) });
  register('pg_get_indexdef', { args: ['integer'], ret: v, impl: strict((a) => lookup?.indexDefinition(a[0] as number) ?? null) });
  register('pg_get_indexdef', { args: ['integer', 'integer', 'boolean'], ret: v, impl: strict((a) =>
    lookup?.indexDefinition(a[0] as number) ?? null) });
  register('pg_get_constraintdef', { args: ['integer'], ret: v, impl: strict((a) =>
    lookup?.constraintDefinition(a[0] as number) ?? null) });
  register('pg_get_constraintdef', { args: ['integer', 'boolean'], ret: v, impl: strict((a) =>
    lookup?.constraintDefinition(a[0] as number) ?? null) });
  register('obj_description', { args: ['integer'], ret: v, impl: lenient(() => null) });
  register('obj_description', { args: ['integer', v], ret: v, impl: lenient(() => null) });
  register('col_description', { args: ['integer', 'integer'], ret: v, impl: lenient(() => null) });
  register('pg_encoding_to_char', { args: ['integer'], ret: v, impl: strict((a) => (a[0] === 6 ? 'UTF8' : '')) });
  register('version', { args: [], ret: v, impl: lenient(() => 'PostgreSQL 15.0 (Tributary)') });
  register('current_schema', { args: [], ret: v, impl: lenient(() => {
    const path = lookup?.session()?.searchPath;
    return path ? (path[0] ?? null) : 'public';
  }) });
  // No array types yet: current_schemas returns the array's text form ({pg_catalog,public}).
  register('current_schemas', { args: ['boolean'], ret: v, impl: strict((a) => {
    const path = lookup?.session()?.searchPath ?? ['public'];
    return `{${(a[0] ? ['pg_catalog', ...path] : path).join(',')}}`;
  }) });
  register('current_user', { args: [], ret: v, impl: lenient(() => lookup?.session()?.user ?? null) });
  register('session_user', { args: [], ret: v, impl: lenient(() => lookup?.session()?.sessionUser ?? null) });
  register('current_database', { args: [], ret: v, impl: lenient(() => lookup?.session()?.database ?? null) });
}
