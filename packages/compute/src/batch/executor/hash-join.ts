import { buildExpr, encodeMemcomparable, type BatchNode, type Datum, type Row } from '@tributary/common';
import { keyToString } from '../../state-table/state-table-key.ts';
import { BATCH_ROWS, toColumns, type BatchStream, type BuildChild } from './batch-executor.ts';

type HashJoinNode = Extract<BatchNode, { kind: 'hashJoin' }>;

/**
 * Equi-join: builds a hash table of the right input (rows with a NULL key never match), probes it
 * with each left batch, keeps pairs passing `condition`, NULL-pads unmatched left rows (LEFT/FULL)
 * and, at the end, unmatched right rows (RIGHT/FULL). Semi/anti joins output each left row that has
 * at least one / no match. Without keys every pair is a candidate (a nested-loop join).
 */
export async function* executeHashJoin(node: HashJoinNode, build: BuildChild): BatchStream {
  const lw = node.left.schema.length;
  const rw = node.right.schema.length;
  const keyTypes = node.leftKeys.map((k) => node.left.schema[k]);
  const orders = keyTypes.map(() => 'asc' as const);
  const keyOf = (row: Row, keys: number[]): string | null => {
    const datums = keys.map((k) => row[k]);
    if (datums.some((d) => d === null)) return null;
    return keyToString(encodeMemcomparable(keyTypes, orders, datums));
  };
  const table = new Map<string, number[]>();
  const rights: Row[] = [];
  for await (const rows of build(node.right)) {
    for (const r of rows) {
      const k = keyOf(r, node.rightKeys);
      const i = rights.push(r) - 1;
      if (k === null) continue;
      const list = table.get(k);
      if (list) list.push(i);
      else table.set(k, [i]);
    }
  }
  const matched = new Uint8Array(rights.length);
  const cond = node.condition ? buildExpr(node.condition) : null;
  const leftOuter = node.joinType === 'left' || node.joinType === 'full';
  const rightOuter = node.joinType === 'right' || node.joinType === 'full';
  const semi = node.joinType === 'leftSemi' ? 'semi' : node.joinType === 'leftAnti' ? 'anti' : null;
  const nullsLeft = new Array<Datum>(lw).fill(null);
  const nullsRight = new Array<Datum>(rw).fill(null);
  let out: Row[] = [];
  for await (const rows of build(node.left)) {
    for (const l of rows) {
      const k = keyOf(l, node.leftKeys);
      const candidates = k === null ? [] : table.get(k) ?? [];
      let pairs = candidates.map((i) => [...l, ...rights[i]]);
      let hits = candidates;
      if (cond && pairs.length > 0) {
        const ok = cond(toColumns(pairs, lw + rw), pairs.length);
        hits = candidates.filter((_, j) => ok[j] === true);
        pairs = pairs.filter((_, j) => ok[j] === true);
      }
      for (const i of hits) matched[i] = 1;
      if (semi !== null) {
        if ((hits.length > 0) === (semi === 'semi')) out.push(l);
      } else {
        out.push(...pairs);
      }
      if (pairs.length === 0 && leftOuter) out.push([...l, ...nullsRight]);
      if (out.length >= BATCH_ROWS) {
        yield out;
        out = [];
      }
    }
  }
  if (rightOuter) {
    for (let i = 0; i < rights.length; i++) if (!matched[i]) out.push([...nullsLeft, ...rights[i]]);
  }
  if (out.length > 0) yield out;
}
