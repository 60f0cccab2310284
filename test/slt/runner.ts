// A small sqllogictest runner (RisingWave / sqllogictest-rs flavoured) over the Postgres protocol.
//
// Records (a blank line ends a record, `#` lines are comments):
//   statement ok
//   statement error [regex]        regex is searched in "SQLSTATE <code>: <message>"
//   statement count <n>            the command's row count must equal n
//   query <types> [rowsort|valuesort] [label]
//   query error [regex]
//   halt / sleep <ms>
// Query results: one line per row, columns separated by a single space,
// NULL -> "NULL", empty string -> "(empty)", other values exactly as the server's text output.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type pg from 'pg';
import { connect, textTypes } from '../harness/cluster.ts';

export type SltRecord =
  | { kind: 'statement'; line: number; sql: string; expect: 'ok' | 'error' | 'count'; regex?: string; count?: number }
  | { kind: 'query'; line: number; sql: string; types: string; sort: 'none' | 'rowsort' | 'valuesort'; expected: string[]; error?: boolean; regex?: string }
  | { kind: 'halt'; line: number }
  | { kind: 'sleep'; line: number; ms: number };

export function parseSlt(text: string): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const out: SltRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i];
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) { i++; continue; }
    const lineNo = i + 1;
    const head = line.split(/\s+/);
    i++;
    const readSql = (stopAtDashes: boolean): { sql: string; sawDashes: boolean } => {
      const sqlLines: string[] = [];
      while (i < lines.length && lines[i].trim() !== '') {
        if (stopAtDashes && lines[i].trim() === '----') { i++; return { sql: sqlLines.join('\n'), sawDashes: true }; }
        sqlLines.push(lines[i]);
        i++;
      }
      return { sql: sqlLines.join('\n'), sawDashes: false };
    };
    if (head[0] === 'statement') {
      const mode = head[1];
      const { sql } = readSql(false);
      if (mode === 'ok') out.push({ kind: 'statement', line: lineNo, sql, expect: 'ok' });
      else if (mode === 'error') out.push({ kind: 'statement', line: lineNo, sql, expect: 'error', regex: line.replace(/^statement\s+error\s*/, '') || undefined });
      else if (mode === 'count') out.push({ kind: 'statement', line: lineNo, sql, expect: 'count', count: Number(head[2]) });
      else throw new Error(`line ${lineNo}: unknown statement mode "${mode}"`);
    } else if (head[0] === 'query') {
      if (head[1] === 'error') {
        const { sql } = readSql(false);
        out.push({ kind: 'query', line: lineNo, sql, types: '', sort: 'none', expected: [], error: true, regex: line.replace(/^query\s+error\s*/, '') || undefined });
        continue;
      }
      const types = head[1] ?? '';
      if (!/^[ITRBDN?]*$/i.test(types)) throw new Error(`line ${lineNo}: bad query types "${types}"`);
      const sortWord = head[2];
      const sort = sortWord === 'rowsort' || sortWord === 'valuesort' ? sortWord : 'none';
      const { sql, sawDashes } = readSql(true);
      const expected: string[] = [];
      if (sawDashes) {
        while (i < lines.length && lines[i].trim() !== '') { expected.push(lines[i].trimEnd()); i++; }
      }
      out.push({ kind: 'query', line: lineNo, sql, types, sort, expected });
    } else if (head[0] === 'halt') {
      out.push({ kind: 'halt', line: lineNo });
    } else if (head[0] === 'sleep') {
      out.push({ kind: 'sleep', line: lineNo, ms: Number(head[1]) });
    } else {
      throw new Error(`line ${lineNo}: unknown record "${line}"`);
    }
  }
  return out;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  const s = String(v);
  return s === '' ? '(empty)' : s;
}

function describeError(e: any): string {
  return e && e.code ? `SQLSTATE ${e.code}: ${e.message}` : String(e?.message ?? e);
}

export interface SltFailure { file: string; line: number; sql: string; message: string }

/** Runs one .slt file on an open client; returns the list of failures (empty = pass). */
export async function runSltText(client: pg.Client, text: string, file = '<inline>', opts: { stopOnFirst?: boolean } = {}): Promise<SltFailure[]> {
  const records = parseSlt(text);
  const failures: SltFailure[] = [];
  const fail = (r: SltRecord, sql: string, message: string) => failures.push({ file, line: r.line, sql, message });
  for (const r of records) {
    if (opts.stopOnFirst && failures.length) break;
    if (r.kind === 'halt') break;
    if (r.kind === 'sleep') { await new Promise((res) => setTimeout(res, r.ms)); continue; }
    if (r.kind === 'statement') {
      try {
        const res = await client.query({ text: r.sql, types: textTypes });
        if (r.expect === 'error') fail(r, r.sql, `expected an error${r.regex ? ` matching /${r.regex}/` : ''} but the statement succeeded`);
        else if (r.expect === 'count') {
          const n = (Array.isArray(res) ? res[res.length - 1] : res).rowCount;
          if (n !== r.count) fail(r, r.sql, `expected row count ${r.count}, got ${n}`);
        }
      } catch (e) {
        const msg = describeError(e);
        if (r.expect !== 'error') fail(r, r.sql, `unexpected error: ${msg}`);
        else if (r.regex && !new RegExp(r.regex).test(msg)) fail(r, r.sql, `error did not match /${r.regex}/: ${msg}`);
      }
      continue;
    }
    // query
    let res: pg.QueryArrayResult;
    try {
      res = await client.query({ text: r.sql, rowMode: 'array', types: textTypes });
    } catch (e) {
      const msg = describeError(e);
      if (!r.error) fail(r, r.sql, `unexpected error: ${msg}`);
      else if (r.regex && !new RegExp(r.regex).test(msg)) fail(r, r.sql, `error did not match /${r.regex}/: ${msg}`);
      continue;
    }
    if (r.error) { fail(r, r.sql, `expected an error${r.regex ? ` matching /${r.regex}/` : ''} but the query succeeded`); continue; }
    if (Array.isArray(res)) { fail(r, r.sql, 'query record returned several result sets'); continue; }
    const ncols = res.fields.length;
    if (r.types && r.types.length !== ncols) {
      fail(r, r.sql, `expected ${r.types.length} columns (${r.types}), got ${ncols} (${res.fields.map((f) => f.name).join(', ')})`);
      continue;
    }
    let actual: string[];
    let expected = r.expected;
    if (r.sort === 'valuesort') {
      actual = res.rows.flatMap((row) => row.map(formatValue)).sort();
      expected = expected.flatMap((l) => l.split(' ')).sort();
    } else {
      actual = res.rows.map((row) => row.map(formatValue).join(' '));
      if (r.sort === 'rowsort') { actual = [...actual].sort(); expected = [...expected].sort(); }
    }
    if (actual.length !== expected.length || actual.some((a, k) => a !== expected[k])) {
      fail(r, r.sql, `result mismatch\n--- expected\n${expected.join('\n')}\n--- actual\n${actual.join('\n')}`);
    }
  }
  return failures;
}

/** Runs a .slt file on a fresh connection to `port`. Throws with every failure listed. */
export async function runSltFile(port: number, path: string): Promise<void> {
  const client = await connect(port);
  let failures: SltFailure[];
  try {
    failures = await runSltText(client, readFileSync(path, 'utf8'), basename(path));
  } finally {
    await client.end().catch(() => {});
  }
  if (failures.length) {
    throw new Error(
      `${failures.length} failing record(s) in ${basename(path)}:\n` +
        failures.map((f) => `  ${f.file}:${f.line}\n    ${f.sql.replace(/\n/g, '\n    ')}\n    ${f.message.replace(/\n/g, '\n    ')}`).join('\n'),
    );
  }
}
