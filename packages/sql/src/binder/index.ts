export type { CatalogReader } from './catalog-reader.ts';
export { Scope, type ScopeColumn } from './scope.ts';
export { bindDataType, pgTypeName } from './bind-type.ts';
export {
  castExpr, coerce, exprEquals, finalize, inputRef, literal, literalDatum, makeCall, typed, unknownLiteral,
  type Bound,
} from './bound.ts';
export { ExprBinder, requireBoolean, type ExprBindOptions } from './bind-expr.ts';
export { AggregateContext, type BoundAggCall } from './aggregate.ts';
export { containsAgg, isAggCall } from './ast-walk.ts';
export { outputName } from './output-name.ts';
export { evalConst } from './const-eval.ts';
export {
  bindFrom, fromTables, lookupRelation, type BoundFrom, type BoundJoin, type BoundRelation, type BoundTable, type JoinKind,
} from './relation.ts';
export {
  bindSelect, itemTypes, type BoundAggregation, type BoundOrderItem, type BoundSelect,
} from './bind-select.ts';
