import type { Expr as AstExpr } from 'pgsql-ast-parser';
import { pgTypeName } from './bind-type.ts';

/** The output column name PostgreSQL gives an unaliased select item (FigureColname). */
export function outputName(ast: AstExpr): string {
  return figure(ast) ?? '?column?';
}

function figure(ast: AstExpr): string | undefined {
  switch (ast.type) {
    case 'ref': return ast.name === '*' ? undefined : ast.name;
    case 'call': return ast.function.name.toLowerCase();
    case 'cast': return figure(ast.operand) ?? pgTypeName(ast.to);
    case 'case': return 'case';
    case 'boolean': return 'bool';
    case 'keyword': return ast.keyword;
    case 'substring': return 'substring';
    case 'extract': return 'extract';
    case 'overlay': return 'overlay';
    case 'array': return 'array';
    default: return undefined;
  }
}
