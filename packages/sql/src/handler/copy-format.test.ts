import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CopyParser, copyFormatOf, formatCopyLine } from './copy-format.ts';

const parseAll = (options: Record<string, string>, chunks: string[]): (string | null)[][] => {
  const p = new CopyParser(copyFormatOf(new Map(Object.entries(options))));
  const rows = chunks.flatMap((c) => p.push(Buffer.from(c)));
  return [...rows, ...p.end()];
};

test('text format: escapes, NULL, custom delimiter, rows split across chunks, \\. terminator', () => {
  assert.deepEqual(parseAll({}, ['a\\tb\t\\N\t\\\\x\t\\101\\x41\n', 'sec', 'ond\t\t\n\\.\nignored\n']), [
    ['a\tb', null, '\\x', 'AA'], ['second', '', ''],
  ]);
  assert.deepEqual(parseAll({ delimiter: '|', null: 'NULL' }, ['1|NULL|\\N\r\n2|x|y']), [['1', null, 'N'], ['2', 'x', 'y']]);
});

test('CSV: quotes, embedded newlines and delimiters, header, NULL vs empty string', () => {
  assert.deepEqual(parseAll({ format: 'csv', header: 'true' }, ['h1,h2\n"a,b","say ""hi"""\n', '"multi\nli', 'ne",\n,""\n']), [
    ['a,b', 'say "hi"'], ['multi\nline', null], [null, ''],
  ]);
});

test('COPY TO lines escape what the reader unescapes', () => {
  const text = copyFormatOf(new Map());
  const csv = copyFormatOf(new Map([['format', 'csv']]));
  const row = ['tab\there', null, 'back\\slash', 'line\nbreak', 'a,"b"', ''];
  assert.equal(formatCopyLine(row, text), 'tab\\there\t\\N\tback\\\\slash\tline\\nbreak\ta,"b"\t\n');
  assert.equal(formatCopyLine(row, csv), 'tab\there,,back\\slash,"line\nbreak","a,""b""",""\n');
  assert.deepEqual(parseAll({}, [formatCopyLine(row, text)]), [row]);
  assert.deepEqual(parseAll({ format: 'csv' }, [formatCopyLine(row, csv)]), [row]);
  assert.throws(() => copyFormatOf(new Map([['format', 'binary']])), (e: { code: string }) => e.code === '0A000');
});
