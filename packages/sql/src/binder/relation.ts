import { DbError, SqlState, notSupported, type Expr, type Interval, type TableCatalog } from '@tributary/common';
import type { Expr as AstExpr, From, QNameAliased } from 'pgsql-ast-parser';
import { ExprBinder } from './bind-expr.ts';
import { coerce, makeCall, typed, inputRef } from './bound.ts';
import { evalConst } from './const-eval.ts';
import type { CatalogReader } from './catalog-reader.ts';
import { Scope, type ScopeColumn } from './scope.ts';
import { bindQuery, queryTables, queryTypes, type BoundQuery } from './bind-query.ts';

/** One relation a query reads, with the name that qualifies its columns. */
export interface BoundRelation {
  table: TableCatalog;
  qualifier: string;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

/**
 * `TUMBLE(t, col, size)` / `HOP(t, col, slide, size)`: the relation's columns then window_start and
 * window_end (the time column's type). A hop row appears once per window containing it.
 */
export interface BoundTimeWindow {
  kind: 'tumble' | 'hop';
  /** The time column, an index into the relation's columns. */
  timeCol: number;
  sizeMicros: bigint;
  /** = size for tumble. */
  slideMicros: bigint;
}

/** A table leaf of the FROM tree; its columns are scope columns `offset .. offset + width - 1`. */
export interface BoundTable extends BoundRelation {
  kind: 'table';
  offset: number;
  width: number;
  window?: BoundTimeWindow;
}

/**
 * A join of two FROM items. The scope is the concatenation of all leaves' columns in FROM order,
 * so `left` covers `offset .. right.offset - 1` and `right` the rest of this node's range. `on` is
 * bound over the whole scope (it only references columns of this node's range).
 */
export interface BoundJoin {
  kind: 'join';
  joinType: JoinKind;
  left: BoundFrom;
  right: BoundFrom;
  on: Expr | null;
  offset: number;
  width: number;
}

/**
 * A subquery in FROM (a derived table, `(SELECT ...) AS s` or `(VALUES ...) AS v(a, b)`): its
 * output columns are scope columns `offset .. offset + width - 1`, qualified by the alias.
 */
export interface BoundDerived {
  kind: 'derived';
  query: BoundQuery;
  qualifier: string;
  offset: number;
  width: number;
}

export type BoundFrom = BoundTable | BoundJoin | BoundDerived;

/** A FROM leaf: anything but a join. */
export type BoundLeaf = BoundTable | BoundDerived;

/** Looks up `name` through the search path (or `schema.name`); 42P01 when absent. */
export function lookupRelation(catalog: CatalogReader, name: QNameAliased): BoundRelation {
  const full = name.schema ? `${name.schema}.${name.name}` : name.name;
  const table = catalog.getRelation(full);
  if (!table) throw new DbError(SqlState.UndefinedTable, `relation "${full}" does not exist`);
  return { table, qualifier: name.alias ?? table.name };
}

const JOIN_KINDS: Record<string, JoinKind> = {
  'INNER JOIN': 'inner', 'LEFT JOIN': 'left', 'RIGHT JOIN': 'right', 'FULL JOIN': 'full', 'CROSS JOIN': 'inner',
};

/**
 * Binds a FROM list into a left-deep join tree plus its scope. Comma items become inner joins
 * without a condition (their WHERE equalities are pushed into them by the planner); `JOIN ... ON`
 * and `USING` bind their condition over the items so far. A subquery binds on its own (it cannot
 * see the outer query's columns: LATERAL is 0A000) and is read through its alias.
 */
export function bindFrom(catalog: CatalogReader, from: From[] | null | undefined): { from: BoundFrom | null; scope: Scope } {
  if (!from || from.length === 0) return { from: null, scope: Scope.empty() };
  const columns: ScopeColumn[] = [];
  const qualifiers = new Set<string>();
  let tree: BoundFrom | null = null;
  for (const f of from) {
    let leaf: BoundLeaf;
    let leafColumns: ScopeColumn[];
    if (f.type === 'statement') {
      leaf = bindDerived(catalog, f, columns.length);
      leafColumns = derivedColumns(leaf, f.columnNames?.map((c) => c.name) ?? []);
    } else if (f.type === 'call') {
      leaf = bindTimeWindow(catalog, f, columns.length);
      leafColumns = tableColumns(leaf);
    } else if (!f.name.schema && catalog.cte?.(f.name.name)) {
      const statement = catalog.cte(f.name.name)!;
      leaf = bindDerived(catalog, { type: 'statement', statement, alias: f.name.alias ?? f.name.name }, columns.length);
      leafColumns = derivedColumns(leaf, f.name.columnNames?.map((c) => c.name) ?? []);
    } else {
      if (f.name.columnNames?.length) throw notSupported('column aliases in FROM');
      if (f.lateral) throw notSupported('LATERAL');
      const rel = lookupRelation(catalog, f.name);
      leaf = { kind: 'table', ...rel, offset: columns.length, width: rel.table.columns.length };
      leafColumns = tableColumns(leaf);
    }
    if (qualifiers.has(leaf.qualifier)) {
      throw new DbError(SqlState.DuplicateAlias, `table name "${leaf.qualifier}" specified more than once`);
    }
    qualifiers.add(leaf.qualifier);
    columns.push(...leafColumns);
    if (tree === null) {
      if (f.join) throw new DbError(SqlState.SyntaxError, 'syntax error: JOIN without a left side');
      tree = leaf;
      continue;
    }
    const joinType = f.join ? JOIN_KINDS[f.join.type] : 'inner';
    if (!joinType) throw notSupported(`${f.join!.type}`);
    let on: Expr | null = null;
    if (f.join?.using?.length) {
      on = bindUsing(f.join.using.map((n) => n.name), tree, leaf, columns, joinType);
    } else if (f.join?.on) {
      const binder = new ExprBinder({ scope: new Scope([...columns]), clause: 'JOIN/ON' });
      on = binder.bindCondition(f.join.on as AstExpr, 'JOIN/ON');
    } else if (f.join && f.join.type !== 'CROSS JOIN') {
      throw new DbError(SqlState.SyntaxError, `syntax error: ${f.join.type} requires an ON or USING clause`);
    }
    tree = { kind: 'join', joinType, left: tree, right: leaf, on, offset: 0, width: columns.length };
  }
  return { from: tree, scope: new Scope(columns) };
}

/** A table leaf's columns (hidden ones too), then TUMBLE/HOP's window_start and window_end. */
function tableColumns(leaf: BoundTable): ScopeColumn[] {
  const columns = [...Scope.ofRelation(leaf.table, leaf.qualifier).columns];
  if (leaf.window) {
    const type = leaf.table.columns[leaf.window.timeCol].type;
    for (const name of ['window_start', 'window_end']) columns.push({ name, type, hidden: false, qualifier: leaf.qualifier });
  }
  return columns;
}

type StatementFrom = Extract<From, { type: 'statement' }>;

/** `(SELECT ...) [AS] alias [(names)]`: PostgreSQL 15 requires the alias (42601). */
function bindDerived(catalog: CatalogReader, f: StatementFrom, offset: number): BoundDerived {
  if (f.lateral) throw notSupported('LATERAL');
  if (!f.alias) throw new DbError(SqlState.SyntaxError, 'subquery in FROM must have an alias', { hint: 'For example, FROM (SELECT ...) [AS] foo.' });
  const query = bindQuery(f.statement, catalog);
  return { kind: 'derived', query, qualifier: f.alias, offset, width: query.names.length };
}

/** The derived table's output columns, the first ones renamed by `AS alias(a, b, ...)`. */
function derivedColumns(leaf: BoundDerived, aliases: string[]): ScopeColumn[] {
  const types = queryTypes(leaf.query);
  if (aliases.length > types.length) {
    throw new DbError(SqlState.InvalidColumnReference, `table "${leaf.qualifier}" has ${types.length} columns available but ${aliases.length} columns specified`);
  }
  return leaf.query.names.map((name, i) => ({ name: aliases[i] ?? name, type: types[i], hidden: false, qualifier: leaf.qualifier }));
}

/**
 * `USING (a, b)`: `left.a = right.a AND ...`. The merged column is the left one for inner and
 * left joins (the right one then resolves only qualified and is left out of `*`), the right one
 * for right joins. FULL JOIN USING needs a coalesced column: 0A000.
 */
function bindUsing(names: string[], left: BoundFrom, right: BoundLeaf, columns: ScopeColumn[], joinType: JoinKind): Expr {
  if (joinType === 'full') throw notSupported('FULL JOIN with USING', 'Write the condition with ON.');
  const leftScope = new Scope(columns.slice(0, right.offset));
  const rightScope = new Scope(columns.slice(right.offset));
  let cond: Expr | null = null;
  for (const name of names) {
    const l = resolveUsing(leftScope, name, 'left');
    const r = resolveUsing(rightScope, name, 'right') + right.offset;
    const eq = makeCall('=', [typed(inputRef(l, columns[l].type)), typed(inputRef(r, columns[r].type))]).expr;
    cond = cond === null ? eq : { kind: 'call', func: 'and', args: [cond, eq], type: 'boolean' };
    const merged = joinType === 'right' ? l : r;
    columns[merged] = { ...columns[merged], usingHidden: true };
  }
  void left;
  return cond!;
}

function resolveUsing(scope: Scope, name: string, side: string): number {
  const idx = scope.columns.map((c, i) => (c.name === name && !c.usingHidden ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) {
    throw new DbError(SqlState.UndefinedColumn, `column "${name}" specified in USING clause does not exist in ${side} table`);
  }
  if (idx.length > 1) {
    throw new DbError(SqlState.AmbiguousColumn, `common column name "${name}" appears more than once in ${side} table`);
  }
  return idx[0];
}

type CallFrom = Extract<From, { type: 'call' }>;

/** `tumble(t, col, size)` / `hop(t, col, slide, size)` with constant intervals without months. */
function bindTimeWindow(catalog: CatalogReader, f: CallFrom, offset: number): BoundTable {
  const fn = f.function.name.toLowerCase();
  if (fn !== 'tumble' && fn !== 'hop') throw notSupported(`table function ${fn} in FROM`);
  const argCount = fn === 'tumble' ? 3 : 4;
  const [relArg, colArg, ...intervals] = f.args;
  if (f.args.length !== argCount || relArg.type !== 'ref' || colArg.type !== 'ref') {
    throw new DbError(SqlState.UndefinedFunction, `function ${fn} takes (relation, time column, ${fn === 'tumble' ? 'size' : 'slide, size'})`);
  }
  const rel = lookupRelation(catalog, { name: relArg.name, ...(relArg.table ? { schema: relArg.table.name } : {}) });
  const qualifier = f.alias?.name ?? rel.table.name;
  const timeCol = rel.table.columns.findIndex((c) => c.name === colArg.name);
  if (timeCol < 0) throw new DbError(SqlState.UndefinedColumn, `column "${colArg.name}" does not exist`);
  const type = rel.table.columns[timeCol].type;
  if (type !== 'timestamp without time zone' && type !== 'timestamp with time zone') {
    throw notSupported(`${fn} over a column of type ${type}`, 'Use a timestamp or timestamptz column.');
  }
  const micros = intervals.map((a) => intervalMicros(a, fn));
  const [slideMicros, sizeMicros] = fn === 'tumble' ? [micros[0], micros[0]] : [micros[0], micros[1]];
  if (sizeMicros % slideMicros !== 0n) {
    throw new DbError(SqlState.InvalidParameterValue, `${fn}: the window size must be a multiple of the slide`);
  }
  const window: BoundTimeWindow = { kind: fn, timeCol, sizeMicros, slideMicros };
  return { kind: 'table', table: rel.table, qualifier, offset, width: rel.table.columns.length + 2, window };
}

function intervalMicros(ast: AstExpr, fn: string): bigint {
  const b = new ExprBinder({ scope: Scope.empty(), clause: fn }).bind(ast);
  const v = evalConst(coerce(b, 'interval', 'implicit')) as Interval | null;
  if (v === null || v.months !== 0) throw notSupported(`${fn} with a NULL or month-based interval`);
  const micros = BigInt(v.days) * 86_400_000_000n + v.micros;
  if (micros <= 0n) throw new DbError(SqlState.InvalidParameterValue, `${fn}: the window interval must be positive`);
  return micros;
}

/** The table leaves of a FROM tree, in FROM order (those inside derived tables included). */
export function fromTables(from: BoundFrom | null): BoundTable[] {
  if (from === null) return [];
  if (from.kind === 'table') return [from];
  if (from.kind === 'derived') return queryTables(from.query);
  return [...fromTables(from.left), ...fromTables(from.right)];
}
