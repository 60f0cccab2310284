import type { StreamNode } from '@tributary/common';

/**
 * Output columns of `node` that carry watermarks, derived as the executors do: a WatermarkFilter
 * starts one; a table scan forwards its upstream relation's (`relationWatermarks`); project keeps
 * plain references; TUMBLE/HOP add window_start and window_end for a watermarked time column;
 * hash aggregation keeps watermarked group keys; everything else that forwards rows unchanged
 * keeps its input's, and the rest drop them.
 */
export function watermarkColumns(node: StreamNode, relationWatermarks: (tableId: number) => number[]): Set<number> {
  const of = (n: StreamNode): Set<number> => watermarkColumns(n, relationWatermarks);
  switch (node.kind) {
    case 'watermarkFilter': return new Set([...of(node.input), node.column]);
    case 'tableScan':
      return new Set(relationWatermarks(node.upstreamTableId).map((c) => node.outputIndices.indexOf(c)).filter((i) => i >= 0));
    case 'project': {
      const input = of(node.input);
      const out = new Set<number>();
      node.exprs.forEach((e, i) => e.kind === 'input' && input.has(e.index) && out.add(i));
      return out;
    }
    case 'timeWindow': {
      const input = of(node.input);
      const n = node.schema.length;
      return input.has(node.timeCol) ? new Set([...input, n - 2, n - 1]) : input;
    }
    case 'hashAgg': {
      const input = of(node.input);
      const out = new Set<number>();
      node.groupKey.forEach((k, i) => input.has(k) && out.add(i));
      return out;
    }
    case 'filter':
    case 'exchange':
    case 'rowIdGen':
    case 'materialize':
      return of(node.input);
    case 'dynamicFilter':
      return of(node.left);
    default:
      return new Set();
  }
}
