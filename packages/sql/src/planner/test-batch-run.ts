import { buildExpr, compareDatum, createAccumulator, datumToJson, type BatchNode, type Datum } from '@tributary/common';
import { executeBatch } from '@tributary/compute/batch';

/** Test helper: runs a batch plan with the real batch executors, its scans replaced by the given rows. */
export async function runBatchExecutors(node: BatchNode, tables: Record<string, Datum[][]>): Promise<Datum[][]> {
  const out: Datum[][] = [];
  for await (const rows of executeBatch(scansAsValues(node, tables), { reader: null as never, epoch: 0n })) out.push(...rows);
  return out;
}

function scansAsValues(node: BatchNode, tables: Record<string, Datum[][]>): BatchNode {
  if (node.kind === 'scan') {
    const rows = (tables[node.tableName] ?? []).map((r) => node.columns.map((c, i) => ({
      kind: 'literal' as const, value: datumToJson(node.schema[i], r[c]), type: node.schema[i],
    })));
    return { kind: 'values', schema: node.schema, rows };
  }
  const copy: Record<string, unknown> = { ...node };
  for (const k of ['input', 'left', 'right'] as const) if (k in node) copy[k] = scansAsValues((node as never)[k], tables);
  if (node.kind === 'union') copy.inputs = node.inputs.map((i) => scansAsValues(i, tables));
  return copy as BatchNode;
}

/** Test helper: runs a batch plan naively over in-memory table rows (by table name, full rows). */
export function runBatch(node: BatchNode, tables: Record<string, Datum[][]>): Datum[][] {
  switch (node.kind) {
    case 'scan': return (tables[node.tableName] ?? []).map((r) => node.columns.map((c) => r[c]));
    case 'values': return node.rows.map((r) => r.map((e) => buildExpr(e)([], 1)[0]));
    case 'filter': {
      const rows = runBatch(node.input, tables);
      const ev = buildExpr(node.predicate);
      return rows.filter((r) => ev(r.map((d) => [d]), 1)[0] === true);
    }
    case 'project': {
      const rows = runBatch(node.input, tables);
      const evs = node.exprs.map((e) => buildExpr(e));
      return rows.map((r) => evs.map((ev) => ev(r.map((d) => [d]), 1)[0]));
    }
    case 'hashAgg': {
      const rows = runBatch(node.input, tables);
      const groups = new Map<string, { key: Datum[]; accs: ReturnType<typeof createAccumulator>[] }>();
      const newGroup = (key: Datum[]) => ({ key, accs: node.aggCalls.map((c) => createAccumulator(c.kind as never, c.argType)) });
      if (node.groupKey.length === 0) groups.set('[]', newGroup([]));
      for (const r of rows) {
        const key = node.groupKey.map((k) => r[k]);
        const id = JSON.stringify(key, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
        let g = groups.get(id);
        if (!g) groups.set(id, (g = newGroup(key)));
        node.aggCalls.forEach((c, i) => g!.accs[i].apply('insert', c.arg === null ? 1 : r[c.arg]));
      }
      return [...groups.values()].map((g) => [...g.key, ...g.accs.map((a) => a.output())]);
    }
    case 'sort': {
      const rows = runBatch(node.input, tables);
      return [...rows].sort((a, b) => {
        for (const k of node.keys) {
          const x = a[k.index];
          const y = b[k.index];
          if (x === null || y === null) {
            if (x === y) continue;
            return (x === null) === k.nullsFirst ? -1 : 1;
          }
          const c = compareDatum(node.schema[k.index], x, y);
          if (c !== 0) return k.order === 'asc' ? c : -c;
        }
        return 0;
      });
    }
    case 'hashJoin': {
      const left = runBatch(node.left, tables);
      const right = runBatch(node.right, tables);
      const cond = node.condition ? buildExpr(node.condition) : null;
      const key = (r: Datum[], ks: number[]) => JSON.stringify(ks.map((k) => r[k]), (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
      const hasNull = (r: Datum[], ks: number[]) => ks.some((k) => r[k] === null);
      const matchedRight = new Set<number>();
      const semi = node.joinType === 'leftSemi' || node.joinType === 'leftAnti';
      const out: Datum[][] = [];
      for (const l of left) {
        let any = false;
        right.forEach((r, ri) => {
          if (hasNull(l, node.leftKeys) || hasNull(r, node.rightKeys) || key(l, node.leftKeys) !== key(r, node.rightKeys)) return;
          const row = [...l, ...r];
          if (cond && cond(row.map((d) => [d]), 1)[0] !== true) return;
          any = true;
          matchedRight.add(ri);
          if (!semi) out.push(row);
        });
        if (semi && any === (node.joinType === 'leftSemi')) out.push(l);
        if (!any && (node.joinType === 'left' || node.joinType === 'full')) out.push([...l, ...node.right.schema.map(() => null)]);
      }
      if (node.joinType === 'right' || node.joinType === 'full') {
        right.forEach((r, ri) => matchedRight.has(ri) || out.push([...node.left.schema.map(() => null), ...r]));
      }
      return out;
    }
    case 'timeWindow': throw new Error('timeWindow is not run by this helper');
    case 'union': return node.inputs.flatMap((i) => runBatch(i, tables));
    case 'groupTopN': throw new Error('groupTopN is not run by this helper');
    case 'overWindow': throw new Error('overWindow is not run by this helper (see runBatchExecutors)');
    case 'limit': {
      const rows = runBatch(node.input, tables).slice(node.offset);
      return node.limit === null ? rows : rows.slice(0, node.limit);
    }
  }
}
