import type { AggCall, Distribution, StateTableDesc, StreamNode } from '@tributary/common';
import { Interval, formatDatum } from '@tributary/common';
import { explainExpr } from './explain-expr.ts';

/** An interval of `micros` (decimal string) as PostgreSQL prints it: `00:00:05`. */
function formatMicros(micros: string): string {
  return formatDatum('interval', Interval.fromMicros(BigInt(micros))) ?? '';
}

/**
 * A stream plan tree as RisingWave's EXPLAIN CREATE MATERIALIZED VIEW prints it, one operator a
 * line. `hidden[i]` marks the materialized relation's column i as hidden (`name(hidden)`).
 * `verbose` (EXPLAIN VERBOSE) adds each stateful operator's state tables to its line, then one
 * line per state table with its layout.
 */
export function explainStream(root: StreamNode, hidden: readonly boolean[] = [], verbose = false): string {
  const lines: string[] = [];
  const tables: StateTableDesc[] = [];
  walk(root, '', '', lines, hidden, verbose ? tables : null);
  for (const t of tables) {
    const pk = t.pk.map((c, i) => `$${c} ${(t.pkOrders[i] ?? 'asc').toUpperCase()}`);
    lines.push(`Table ${t.name} { columns: [${t.columns.map((c, i) => `$${i}: ${c}`).join(', ')}], primary key: [${pk.join(', ')}], distribution key: [${t.distKey.map((c) => `$${c}`).join(', ')}] }`);
  }
  return lines.join('\n');
}

function walk(node: StreamNode, first: string, rest: string, lines: string[], hidden: readonly boolean[], tables: StateTableDesc[] | null): void {
  let line = first + describe(node, hidden);
  if (tables) {
    const own = stateTables(node);
    if (own.length > 0) line += ` state tables: [${own.map((t) => t.name).join(', ')}]`;
    tables.push(...own);
  }
  lines.push(line);
  const kids = children(node);
  kids.forEach((k, i) => {
    const last = i === kids.length - 1;
    walk(k, rest + (last ? '└─' : '├─'), rest + (last ? '  ' : '│ '), lines, hidden, tables);
  });
}

/** The state tables an operator owns (a table scan reads its upstream's, and owns its progress). */
export function stateTables(node: StreamNode): StateTableDesc[] {
  const present = (list: (StateTableDesc | null)[] | undefined): StateTableDesc[] => (list ?? []).filter((t): t is StateTableDesc => t !== null);
  switch (node.kind) {
    case 'materialize': return [node.table];
    case 'tableScan': return [node.progressTable];
    case 'hashAgg':
    case 'simpleAgg': return [node.resultTable, ...present(node.minMaxTables), ...present(node.distinctTables)];
    case 'hashJoin': return [node.leftTable, node.rightTable];
    case 'topN':
    case 'watermarkFilter':
    case 'values':
    case 'dynamicFilter': return [node.table];
    case 'source': return [node.splitTable];
    default: return [];
  }
}

function children(node: StreamNode): StreamNode[] {
  switch (node.kind) {
    case 'dml':
    case 'merge':
    case 'tableScan': return [];
    case 'hashJoin':
    case 'dynamicFilter': return [node.left, node.right];
    case 'union': return node.inputs;
    default: return 'input' in node ? [node.input] : [];
  }
}

/** Output names of the node's input (what its expressions refer to; left ++ right for a join). */
function inputNames(node: StreamNode): string[] {
  const kids = children(node);
  return kids.flatMap((k) => k.names);
}

export function describeAgg(call: AggCall, inNames: readonly string[]): string {
  const filter = call.filter === undefined || call.filter === null ? '' : ` filter(${inNames[call.filter]})`;
  if (call.kind === 'count_star') return `count${filter}`;
  const args = [call.arg === null ? '' : inNames[call.arg]];
  if (call.delimiter !== undefined && call.delimiter !== null) args.push(inNames[call.delimiter]);
  const order = (call.orderBy ?? []).map((o) => `${inNames[o.index]} ${o.order.toUpperCase()}`);
  const orderBy = order.length > 0 ? ` order_by(${order.join(', ')})` : '';
  return `${call.kind}(${call.distinct ? 'distinct ' : ''}${args.join(', ')})${orderBy}${filter}`;
}

export function describeDist(dist: Distribution, names: readonly string[]): string {
  if (dist.kind === 'single') return 'Single';
  if (dist.kind === 'noShuffle') return 'NoShuffle';
  if (dist.kind === 'broadcast') return 'Broadcast';
  return `HashShard(${dist.keys.map((k) => names[k]).join(', ')})`;
}

function describe(node: StreamNode, hidden: readonly boolean[]): string {
  const inNames = inputNames(node);
  switch (node.kind) {
    case 'materialize': {
      const cols = node.names.map((n, i) => (hidden[i] ? `${n}(hidden)` : n));
      const key = `[${node.table.pk.map((i) => node.names[i]).join(', ')}]`;
      const conflict = node.conflict === 'overwrite' ? 'Overwrite' : 'NoCheck';
      return `StreamMaterialize { columns: [${cols.join(', ')}], stream_key: ${key}, pk_columns: ${key}, pk_conflict: ${conflict} }`;
    }
    case 'project': return `StreamProject { exprs: [${node.exprs.map((e) => explainExpr(e, inNames)).join(', ')}] }`;
    case 'filter': return `StreamFilter { predicate: ${explainExpr(node.predicate, inNames)} }`;
    case 'hashAgg':
      return `StreamHashAgg${node.emitOnWindowClose ? ' [emit_on_window_close]' : ''} { group_key: [${node.groupKey.map((k) => inNames[k]).join(', ')}], aggs: [${node.aggCalls.map((c) => describeAgg(c, inNames)).join(', ')}] }`;
    case 'simpleAgg': return `StreamSimpleAgg { aggs: [${node.aggCalls.map((c) => describeAgg(c, inNames)).join(', ')}] }`;
    case 'hashJoin': {
      const ln = node.left.names;
      const rn = node.right.names;
      const eq = node.leftKeys.map((k, i) => `${ln[k]} = ${rn[node.rightKeys[i]]}`);
      if (node.condition) eq.push(explainExpr(node.condition, inNames));
      const type = { inner: 'Inner', left: 'LeftOuter', right: 'RightOuter', full: 'FullOuter', leftSemi: 'LeftSemi', leftAnti: 'LeftAnti' }[node.joinType];
      return `StreamHashJoin { type: ${type}, predicate: ${eq.length > 0 ? eq.join(' AND ') : 'true'} }`;
    }
    case 'union': return 'StreamUnion { all: true }';
    case 'timeWindow': return `${node.sizeMicros === node.slideMicros ? 'StreamTumble' : 'StreamHopWindow'} { time_col: ${inNames[node.timeCol]}, slide: ${node.slideMicros}us, size: ${node.sizeMicros}us }`;
    case 'topN': {
      const order = node.orderBy.map((o) => `${inNames[o.index]} ${o.order.toUpperCase()}`).join(', ');
      const limit = `limit: ${node.limit}, offset: ${node.offset}`;
      if (node.groupKey.length === 0) return `StreamTopN { order: [${order}], ${limit} }`;
      const group = node.groupKey.map((k) => inNames[k]).join(', ');
      return `StreamGroupTopN { order: [${order}], ${limit}, group_key: [${group}]${node.withRank ? ', with_rank' : ''} }`;
    }
    case 'exchange': return `StreamExchange { dist: ${describeDist(node.dist, inNames)} }`;
    case 'tableScan':
      return `StreamTableScan { table: ${node.upstreamName}, columns: [${node.outputIndices.map((i) => node.input.names[i]).join(', ')}]${node.rateLimitRowsPerSecond ? `, rate_limit: ${node.rateLimitRowsPerSecond}` : ''} }`;
    case 'rowIdGen': return `StreamRowIdGen { row_id_index: ${node.rowIdIndex} }`;
    case 'source': return `StreamSource { source: ${node.connector}, columns: [${node.names.join(', ')}] }`;
    case 'watermarkFilter': return `StreamWatermarkFilter { watermark: ${inNames[node.column]} - ${formatMicros(node.delayMicros)} }`;
    case 'now': return 'StreamNow';
    case 'values': return `StreamValues { rows: [${node.rows.map((r) => `[${r.map((e) => explainExpr(e, [])).join(', ')}]`).join(', ')}] }`;
    case 'dynamicFilter': {
      const offset = BigInt(node.offsetMicros);
      const shift = offset === 0n ? '' : offset < 0n ? ` - ${formatMicros(String(-offset))}` : ` + ${formatMicros(node.offsetMicros)}`;
      return `StreamDynamicFilter { predicate: ${node.left.names[node.column]} ${node.op} now()${shift} }`;
    }
    case 'dml': return `StreamDml { columns: [${node.names.join(', ')}] }`;
    case 'merge': return `StreamMerge { upstream_fragment: ${node.upstreamFragmentId} }`;
  }
}
