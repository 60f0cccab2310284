import {
  DbError, SqlState, createAccumulator, encodeMemcomparable,
  type BatchNode, type Datum, type Row, type WindowCall,
} from '@tributary/common';
import { keyToString } from '../../state-table/state-table-key.ts';
import { BATCH_ROWS, type BatchStream, type BuildChild } from './batch-executor.ts';
import { rowComparator } from './sort.ts';

type OverWindowNode = Extract<BatchNode, { kind: 'overWindow' }>;

/**
 * Window functions over one window, PostgreSQL's default frame:
 * 1. Materialize the input, split it into partitions (equal `partitionBy` values, NULLs equal).
 * 2. Sort each partition stably by `orderBy`; peers are rows equal on it (all rows without it).
 * 3. Per call, compute one column over the sorted partition (`windowColumn`); emit each row with
 *    its call columns appended.
 */
export async function* executeOverWindow(node: OverWindowNode, build: BuildChild): BatchStream {
  const types = node.partitionBy.map((c) => node.input.schema[c]);
  const orders = node.partitionBy.map(() => 'asc' as const);
  const partitions = new Map<string, Row[]>();
  for await (const batch of build(node.input)) {
    for (const r of batch) {
      const k = types.length === 0 ? '' : keyToString(encodeMemcomparable(types, orders, node.partitionBy.map((c) => r[c])));
      let p = partitions.get(k);
      if (!p) partitions.set(k, (p = []));
      p.push(r);
    }
  }
  const cmp = rowComparator(node.orderBy, node.input.schema);
  let out: Row[] = [];
  for (const rows of partitions.values()) {
    rows.sort(cmp);
    const peerEnd = peerEnds(rows, cmp);
    const columns = node.calls.map((c) => windowColumn(c, rows, peerEnd));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i].slice();
      for (const col of columns) row.push(col[i]);
      out.push(row);
    }
    if (out.length >= BATCH_ROWS) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** For each row, the index one past its last peer (the end of the default frame). */
function peerEnds(rows: Row[], cmp: (a: Row, b: Row) => number): Int32Array {
  const ends = new Int32Array(rows.length);
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && cmp(rows[start], rows[i]) === 0) continue;
    ends.fill(i, start, i);
    start = i;
  }
  return ends;
}

/** The values of one call for every row of a sorted partition. */
function windowColumn(call: WindowCall, rows: Row[], peerEnd: Int32Array): Datum[] {
  const n = rows.length;
  const out = new Array<Datum>(n);
  const arg = (i: number, a: number): Datum => rows[i][call.args[a]];
  switch (call.kind) {
    case 'row_number':
      for (let i = 0; i < n; i++) out[i] = BigInt(i + 1);
      return out;
    case 'rank':
    case 'dense_rank':
    case 'percent_rank':
    case 'cume_dist': return rankColumn(call.kind, peerEnd);
    case 'ntile':
      for (let i = 0; i < n; i++) out[i] = ntile(arg(i, 0) as number | null, i, n);
      return out;
    case 'lag':
    case 'lead':
      for (let i = 0; i < n; i++) {
        const offset = call.args.length > 1 ? (arg(i, 1) as number | null) : 1;
        if (offset === null) {
          out[i] = null;
          continue;
        }
        const j = call.kind === 'lag' ? i - offset : i + offset;
        out[i] = j >= 0 && j < n ? rows[j][call.args[0]] : call.args.length > 2 ? arg(i, 2) : null;
      }
      return out;
    case 'first_value':
      for (let i = 0; i < n; i++) out[i] = arg(0, 0);
      return out;
    case 'last_value':
      for (let i = 0; i < n; i++) out[i] = arg(peerEnd[i] - 1, 0);
      return out;
    case 'nth_value':
      for (let i = 0; i < n; i++) {
        const k = arg(i, 1) as number | null;
        if (k !== null && k <= 0) throw new DbError(SqlState.InvalidArgumentForNthValue, 'argument of nth_value must be greater than zero');
        out[i] = k !== null && k <= peerEnd[i] ? arg(k - 1, 0) : null;
      }
      return out;
    case 'string_agg': return stringAggColumn(call, rows, peerEnd);
    default: return aggColumn(call, rows, peerEnd);
  }
}

/** rank / dense_rank (bigint), percent_rank / cume_dist (double precision), from peer groups. */
function rankColumn(kind: 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist', peerEnd: Int32Array): Datum[] {
  const n = peerEnd.length;
  const out = new Array<Datum>(n);
  let groupStart = 0;
  let dense = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || peerEnd[i] !== peerEnd[i - 1]) {
      groupStart = i;
      dense++;
    }
    switch (kind) {
      case 'rank': out[i] = BigInt(groupStart + 1); break;
      case 'dense_rank': out[i] = BigInt(dense); break;
      case 'percent_rank': out[i] = n > 1 ? groupStart / (n - 1) : 0; break;
      case 'cume_dist': out[i] = peerEnd[i] / n; break;
    }
  }
  return out;
}

/** ntile(buckets) of row `i` of `n`: the first `n % buckets` buckets hold one row more. */
function ntile(buckets: number | null, i: number, n: number): Datum {
  if (buckets === null) return null;
  if (buckets <= 0) throw new DbError(SqlState.InvalidArgumentForNtile, 'argument of ntile must be greater than zero');
  const size = Math.floor(n / buckets);
  const big = n % buckets;
  const bigRows = big * (size + 1);
  return i < bigRows ? Math.floor(i / (size + 1)) + 1 : big + Math.floor((i - bigRows) / size) + 1;
}

/** string_agg(value, delimiter) over the default frame, in frame order (a NULL delimiter is ''). */
function stringAggColumn(call: WindowCall, rows: Row[], peerEnd: Int32Array): Datum[] {
  const out = new Array<Datum>(rows.length);
  let acc: string | null = null;
  let i = 0;
  while (i < rows.length) {
    const end = peerEnd[i];
    for (let j = i; j < end; j++) {
      const v = rows[j][call.args[0]] as string | null;
      if (v === null || (call.filter !== undefined && rows[j][call.filter] !== true)) continue;
      acc = acc === null ? v : acc + ((rows[j][call.args[1]] as string | null) ?? '') + v;
    }
    out.fill(acc, i, end);
    i = end;
  }
  return out;
}

/** An aggregate over the default frame: accumulated peer group by peer group (NULLs and filtered rows skipped). */
function aggColumn(call: WindowCall, rows: Row[], peerEnd: Int32Array): Datum[] {
  const kind = call.kind as 'count_star' | 'count' | 'sum' | 'min' | 'max' | 'bool_and' | 'bool_or';
  const acc = createAccumulator(kind, kind === 'count_star' ? null : call.argTypes[0]);
  const out = new Array<Datum>(rows.length);
  let i = 0;
  while (i < rows.length) {
    const end = peerEnd[i];
    for (let j = i; j < end; j++) {
      if (call.filter !== undefined && rows[j][call.filter] !== true) continue;
      if (kind === 'count_star') acc.apply('insert', null);
      else if (rows[j][call.args[0]] !== null) acc.apply('insert', rows[j][call.args[0]]);
    }
    const value = acc.output();
    out.fill(value, i, end);
    i = end;
  }
  return out;
}
