import type { BatchNode, WindowCall } from '@tributary/common';
import type { CatalogReader } from '../binder/catalog-reader.ts';
import { explainExpr } from './explain-expr.ts';
import { describeAgg } from './explain-stream.ts';

/** A batch plan as RisingWave's EXPLAIN SELECT prints it (column names come from `catalog`). */
export function explainBatch(plan: BatchNode, catalog: CatalogReader): string {
  const lines: string[] = [];
  const walk = (node: BatchNode, first: string, rest: string): string[] => {
    const line = lines.length;
    lines.push('');
    const inNames = 'input' in node ? walk(node.input, rest + '└─', rest + '  ')
      : node.kind === 'hashJoin' ? [...walk(node.left, rest + '├─', rest + '│ '), ...walk(node.right, rest + '└─', rest + '  ')]
        : node.kind === 'union' ? node.inputs.map((k, i) => {
          const last = i === node.inputs.length - 1;
          return walk(k, rest + (last ? '└─' : '├─'), rest + (last ? '  ' : '│ '));
        })[0] : [];
    const { text, names } = describe(node, inNames, catalog);
    lines[line] = first + text;
    return names;
  };
  walk(plan, '', '');
  return lines.join('\n');
}

/** `name(args) OVER(PARTITION BY ... ORDER BY ...)`, as RisingWave prints window calls. */
function describeWindowCall(c: WindowCall, node: Extract<BatchNode, { kind: 'overWindow' }>, inNames: string[]): string {
  const over: string[] = [];
  if (node.partitionBy.length > 0) over.push(`PARTITION BY ${node.partitionBy.map((k) => inNames[k]).join(', ')}`);
  if (node.orderBy.length > 0) {
    over.push(`ORDER BY ${node.orderBy.map((k) => `${inNames[k.index]} ${k.order.toUpperCase()}${k.nullsFirst !== (k.order === 'desc') ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`).join(', ')}`);
  }
  const name = c.kind === 'count_star' ? 'count' : c.kind;
  const filter = c.filter !== undefined ? ` FILTER(WHERE ${inNames[c.filter]})` : '';
  return `${name}(${c.args.map((a) => inNames[a]).join(', ')})${filter} OVER(${over.join(' ')})`;
}

function describe(node: BatchNode, inNames: string[], catalog: CatalogReader): { text: string; names: string[] } {
  const show = (e: Parameters<typeof explainExpr>[0]): string => explainExpr(e, inNames);
  switch (node.kind) {
    case 'scan': {
      const cols = catalog.getRelation(node.tableName)?.columns;
      const short = node.columns.map((c) => cols?.[c]?.name ?? `$${c}`);
      return { text: `BatchScan { table: ${node.tableName}, columns: [${short.join(', ')}] }`, names: short.map((n) => `${node.tableName}.${n}`) };
    }
    case 'values': return { text: `BatchValues { rows: [${node.rows.map((r) => `[${r.map(show).join(', ')}]`).join(', ')}] }`, names: [] };
    case 'filter': return { text: `BatchFilter { predicate: ${show(node.predicate)} }`, names: inNames };
    case 'project': {
      const exprs = node.exprs.map(show);
      return { text: `BatchProject { exprs: [${exprs.join(', ')}] }`, names: exprs };
    }
    case 'hashAgg': {
      const aggs = node.aggCalls.map((c) => describeAgg(c, inNames));
      const keys = node.groupKey.map((k) => inNames[k]);
      const text = keys.length > 0
        ? `BatchHashAgg { group_key: [${keys.join(', ')}], aggs: [${aggs.join(', ')}] }`
        : `BatchSimpleAgg { aggs: [${aggs.join(', ')}] }`;
      return { text, names: [...keys, ...aggs] };
    }
    case 'sort': {
      const keys = node.keys.map((k) => `${inNames[k.index]} ${k.order.toUpperCase()}${k.nullsFirst !== (k.order === 'desc') ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`);
      return { text: `BatchSort { order: [${keys.join(', ')}] }`, names: inNames };
    }
    case 'hashJoin': {
      const lw = node.left.schema.length;
      const eq = node.leftKeys.map((k, i) => `${inNames[k]} = ${inNames[lw + node.rightKeys[i]]}`);
      if (node.condition) eq.push(show(node.condition));
      const type = { inner: 'Inner', left: 'LeftOuter', right: 'RightOuter', full: 'FullOuter', leftSemi: 'LeftSemi', leftAnti: 'LeftAnti' }[node.joinType];
      const semi = node.joinType === 'leftSemi' || node.joinType === 'leftAnti';
      return { text: `BatchHashJoin { type: ${type}, predicate: ${eq.length > 0 ? eq.join(' AND ') : 'true'} }`, names: semi ? inNames.slice(0, lw) : inNames };
    }
    case 'union': return { text: 'BatchUnion { all: true }', names: inNames };
    case 'timeWindow': {
      const kind = node.sizeMicros === node.slideMicros ? 'BatchTumble' : 'BatchHopWindow';
      const text = `${kind} { time_col: ${inNames[node.timeCol]}, slide: ${node.slideMicros}us, size: ${node.sizeMicros}us }`;
      return { text, names: [...inNames, 'window_start', 'window_end'] };
    }
    case 'groupTopN': {
      const keys = node.keys.map((k) => `${inNames[k.index]} ${k.order.toUpperCase()}`);
      const group = node.groupKey.map((k) => inNames[k]);
      const text = `BatchGroupTopN { order: [${keys.join(', ')}], limit: ${node.limit}, group_key: [${group.join(', ')}] }`;
      return { text, names: node.withRank ? [...inNames, 'row_number'] : inNames };
    }
    case 'overWindow': {
      const calls = node.calls.map((c) => describeWindowCall(c, node, inNames));
      return { text: `BatchOverWindow { window_functions: [${calls.join(', ')}] }`, names: [...inNames, ...calls] };
    }
    case 'limit': return { text: `BatchLimit { limit: ${node.limit ?? 'ALL'}, offset: ${node.offset} }`, names: inNames };
  }
}
