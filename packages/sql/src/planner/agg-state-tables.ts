import type { AggCall, DataType, StateTableDesc } from '@tributary/common';

// State tables of the aggregate calls that keep more than their result-table column.

/** min/max state: group key + arg (asc for min, desc for max) + input stream key, all in the pk. */
export function minMaxTable(mvName: string, i: number, call: AggCall, keyTypes: DataType[], streamKeyTypes: DataType[]): StateTableDesc | null {
  if (call.kind !== 'min' && call.kind !== 'max') return null;
  const columns: DataType[] = [...keyTypes, call.argType!, ...streamKeyTypes];
  const pkOrders = columns.map((_, c): 'asc' | 'desc' => (c === keyTypes.length && call.kind === 'max' ? 'desc' : 'asc'));
  return {
    tableId: -1, name: `${mvName}.agg_${call.kind}_${i}`, columns, pk: columns.map((_, c) => c), pkOrders,
    distKey: keyTypes.map((_, c) => c),
  };
}

/** string_agg input: group key ++ input stream key (the pk) ++ [value, delimiter] ++ ORDER BY columns. */
export function stringAggTable(
  mvName: string, i: number, call: AggCall, keyTypes: DataType[], streamKeyTypes: DataType[], inputTypes: DataType[],
): StateTableDesc {
  const columns: DataType[] = [
    ...keyTypes, ...streamKeyTypes, 'character varying', 'character varying', ...(call.orderBy ?? []).map((o) => inputTypes[o.index]),
  ];
  const pk = [...keyTypes, ...streamKeyTypes].map((_, c) => c);
  return {
    tableId: -1, name: `${mvName}.agg_string_agg_${i}`, columns, pk, pkOrders: pk.map(() => 'asc'),
    distKey: keyTypes.map((_, c) => c),
  };
}

/** DISTINCT count/sum dedup state: group key ++ arg (the pk) ++ count. */
export function distinctTable(mvName: string, i: number, call: AggCall, keyTypes: DataType[]): StateTableDesc | null {
  if (!call.distinct) return null;
  const pk = [...keyTypes, call.argType!].map((_, c) => c);
  return {
    tableId: -1, name: `${mvName}.agg_distinct_${i}`, columns: [...keyTypes, call.argType!, 'bigint'], pk,
    pkOrders: pk.map(() => 'asc'), distKey: keyTypes.map((_, c) => c),
  };
}
