import { formatDatum, TYPE_LEN, TYPE_OID, type DataType, type Row } from '@tributary/common';
import type { StatementResult } from '../pgwire/index.ts';

/** A row result with PostgreSQL text output per column type. */
export function rowsResult(fields: Array<{ name: string; type: DataType }>, rows: AsyncIterable<Row[]> | Row[][]): StatementResult {
  const types = fields.map((f) => f.type);
  async function* text(): AsyncGenerator<(string | null)[]> {
    for await (const batch of rows) for (const row of batch) yield row.map((d, i) => formatDatum(types[i], d));
  }
  return {
    kind: 'rows',
    fields: fields.map((f) => ({ name: f.name, typeOid: TYPE_OID[f.type], typeLen: TYPE_LEN[f.type] })),
    rows: text(),
    tag: 'SELECT',
  };
}

/** A result of plain text rows (SHOW, EXPLAIN). */
export function textRows(columns: string[], rows: string[][]): StatementResult {
  return {
    kind: 'rows',
    fields: columns.map((name) => ({ name, typeOid: TYPE_OID['character varying'], typeLen: -1 })),
    rows,
    tag: 'SELECT',
  };
}

export function command(tag: string): StatementResult {
  return { kind: 'command', tag };
}
