import type { Expr as AstExpr } from 'pgsql-ast-parser';

/** Aggregate function names PostgreSQL knows; the supported ones are in AGG_SUPPORTED. */
const AGG_NAMES = new Set([
  'count', 'sum', 'min', 'max', 'avg', 'string_agg', 'array_agg', 'bool_and', 'bool_or', 'every',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'jsonb_agg',
  'jsonb_object_agg', 'bit_and', 'bit_or', 'mode', 'percentile_cont', 'percentile_disc',
]);

/** Whether `ast` is an aggregate call (not a window call: those have OVER). */
export function isAggCall(ast: AstExpr): boolean {
  return ast.type === "call" && !ast.over && !ast.function.schema && AGG_NAMES.has(ast.function.name.toLowerCase());
}

/** Direct sub-expressions of `ast` (subqueries are leaves). */
export function childrenOf(ast: AstExpr): AstExpr[] {
  switch (ast.type) {
    case 'binary': return [ast.left, ast.right];
    case 'unary': return [ast.operand];
    case 'cast': return [ast.operand];
    case 'ternary': return [ast.value, ast.lo, ast.hi];
    case 'call': return [...ast.args, ...(ast.filter ? [ast.filter] : [])];
    case 'list':
    case 'array': return ast.expressions;
    case 'case':
      return [...(ast.value ? [ast.value] : []), ...ast.whens.flatMap((w) => [w.when, w.value]), ...(ast.else ? [ast.else] : [])];
    case 'member': return [ast.operand];
    case 'arrayIndex': return [ast.array, ast.index];
    case 'extract': return [ast.from];
    case 'substring': return [ast.value, ...(ast.from ? [ast.from] : []), ...(ast.for ? [ast.for] : [])];
    case 'overlay': return [ast.value, ast.placing, ast.from, ...(ast.for ? [ast.for] : [])];
    default: return [];
  }
}

/** Whether `ast` contains an aggregate call outside subqueries. */
export function containsAgg(ast: AstExpr): boolean {
  if (isAggCall(ast)) return true;
  return childrenOf(ast).some(containsAgg);
}

/** Whether `ast` contains a window function call (a call with OVER) outside subqueries. */
export function containsWindow(ast: AstExpr): boolean {
  if (ast.type === 'call' && ast.over) return true;
  return childrenOf(ast).some(containsWindow);
}
