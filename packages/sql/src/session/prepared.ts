import { DbError, SqlState, TYPE_LEN, TYPE_OID, type DataType } from '@tributary/common';
import type { Statement } from 'pgsql-ast-parser';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { inferParamTypes } from '../binder/param-types.ts';
import type { ParsedStatement } from '../parser/index.ts';
import { dataTypeOfOid } from '../pgwire/binary-codec.ts';
import type { FieldDescription, PreparedStatement } from '../pgwire/index.ts';
import { planDelete, planInsert, planUpdate } from '../planner/plan-dml.ts';
import { planSelect } from '../planner/plan-select.ts';

/**
 * A statement prepared by Parse. `parsed` is null for an empty query. Parameters are substituted
 * at execution as typed literals (`'text'::type`), so binding and planning see plain constants.
 */
export class SessionPrepared implements PreparedStatement {
  constructor(
    readonly sql: string,
    readonly parsed: ParsedStatement | null,
    readonly paramTypes: readonly DataType[],
    readonly fields: readonly FieldDescription[] | null,
  ) {}

  get paramTypeOids(): readonly number[] {
    return this.paramTypes.map((t) => TYPE_OID[t]);
  }
}

type AnyNode = Record<string, unknown>;

/** Visits every `$n` node of an AST. */
function visitParams(node: unknown, visit: (p: AnyNode) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) visitParams(x, visit);
  } else if (node !== null && typeof node === 'object') {
    const o = node as AnyNode;
    if (o.type === 'parameter' && typeof o.name === 'string') visit(o);
    else for (const v of Object.values(o)) visitParams(v, visit);
  }
}

/** The highest `$n` used in `ast` (0 when none). */
export function paramCount(ast: Statement): number {
  let max = 0;
  visitParams(ast, (p) => (max = Math.max(max, Number(String(p.name).slice(1)))));
  return max;
}

/** A copy of `ast` with `$n` replaced by `value::type` (null: `NULL::type`); `undefined` values keep `$n`. */
export function substituteParams(ast: Statement, types: readonly (DataType | undefined)[], values: readonly (string | null | undefined)[]): Statement {
  const replace = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(replace);
    if (node === null || typeof node !== 'object') return node;
    const o = node as AnyNode;
    if (o.type === 'parameter' && typeof o.name === 'string') {
      const i = Number(o.name.slice(1)) - 1;
      const type = types[i];
      const value = values[i];
      if (type === undefined || value === undefined) return o;
      const operand = value === null ? { type: 'null' } : { type: 'string', value };
      return { type: 'cast', operand, to: { name: type } };
    }
    const out: AnyNode = {};
    for (const [k, v] of Object.entries(o)) out[k] = replace(v);
    return out;
  };
  return replace(ast) as Statement;
}

/**
 * Parameter types and result columns of an AST statement: declared types (`declaredOids[i]`, 0 =
 * unspecified) are fixed first, the others are inferred by binding the statement with `$n` as
 * untyped placeholders; a parameter no context types is text (varchar).
 */
export function describeAst(ast: Statement, declaredOids: readonly number[], catalog: CatalogReader): {
  paramTypes: DataType[];
  fields: FieldDescription[] | null;
} {
  const count = Math.max(paramCount(ast), declaredOids.length);
  const declared = Array.from({ length: count }, (_, i) => {
    const oid = declaredOids[i] ?? 0;
    if (oid === 0 || oid === 705 /* unknown */) return undefined;
    const type = dataTypeOfOid(oid);
    if (!type) throw new DbError(SqlState.FeatureNotSupported, `parameter $${i + 1} has unsupported type oid ${oid}`);
    return type;
  });
  const typedAst = substituteParams(ast, declared, declared.map(() => null));
  const { result: fields, types } = inferParamTypes(() => bindForDescribe(typedAst, catalog));
  const paramTypes = declared.map((t, i) => t ?? types.get(i + 1) ?? 'character varying');
  return { paramTypes, fields };
}

function bindForDescribe(ast: Statement, catalog: CatalogReader): FieldDescription[] | null {
  switch (ast.type) {
    case 'select':
    case 'union':
    case 'union all': {
      const planned = planSelect(ast, catalog);
      return planned.fields.map((f) => ({ name: f.name, typeOid: TYPE_OID[f.type], typeLen: TYPE_LEN[f.type] }));
    }
    case 'insert':
      try {
        planInsert(ast, catalog);
      } catch (err) {
        // A `$n` primary key value is a NULL placeholder here; its type was recorded before the check.
        if (!(err instanceof DbError && err.code === SqlState.NotNullViolation)) throw err;
      }
      return null;
    case 'update':
      planUpdate(ast, catalog);
      return null;
    case 'delete':
      planDelete(ast, catalog);
      return null;
    default:
      return null;
  }
}
