export { splitStatements, splitStatementsWithOffsets, type StatementPiece } from './split-statements.ts';
export { preprocess, rewriteIntervals, type PreprocessResult } from './preprocess.ts';
export { DISTINCT_FROM_OPERATORS } from './distinct-from.ts';
export { parseStatement } from './parse-statement.ts';
export { ParseError } from './parse-error.ts';
export type { ParsedStatement, ShowWhat, DropObjectKind } from './parsed-statement.ts';
