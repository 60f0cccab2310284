import type { StreamNode } from '@tributary/common';
import { literal } from '../binder/bound.ts';
import type { BoundValues } from '../binder/bind-query.ts';
import type { PlannedQuery } from './stream-plan.ts';

/**
 * `VALUES` in a view: a StreamValues leaf in a singleton fragment. Each row gets a hidden row
 * number (its stream key: VALUES rows may repeat); the state table records that the rows were
 * emitted (see `ValuesNode`).
 */
export function planValues(mvName: string, q: BoundValues): PlannedQuery {
  const width = q.types.length;
  const rows = q.rows.map((r, i) => [...r, literal('integer', i)]);
  const node: StreamNode = {
    kind: 'values', rows, schema: [...q.types, 'integer'], names: [...q.names, '_row_number'],
    table: { tableId: -1, name: `${mvName}.values_emitted`, columns: ['smallint', 'boolean'], pk: [0], pkOrders: ['asc'], distKey: [] },
  };
  return { plan: { node, streamKey: [width], distKey: null }, hidden: [...q.types.map(() => false), true] };
}
