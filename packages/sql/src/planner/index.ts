export { planCreateTable, ROW_ID_COLUMN, type PlannedTable } from './create-table.ts';
export { planCreateMv, type PlannedMv } from './create-mv.ts';
export { planSelect, planBound, type Field, type PlannedSelect } from './plan-select.ts';
export { planInsert, planDelete, planUpdate, type PlannedInsert, type PlannedDelete, type PlannedUpdate } from './plan-dml.ts';
export { fragment, materializeFragmentId } from './fragmenter.ts';
export { explainStream } from './explain-stream.ts';
export { explainBatch } from './explain-batch.ts';
export { explainExpr } from './explain-expr.ts';
export type { CatalogReader } from '../binder/catalog-reader.ts';
