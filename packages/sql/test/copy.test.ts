// COPY FROM STDIN / TO STDOUT: psql's \copy, raw COPY messages, text and CSV formats.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { startTestCluster, type TestCluster } from './in-process-cluster.ts';
import { errorCode, m, RawClient, types } from './raw-client.ts';

const PSQL = '/usr/bin/psql';
let cluster: TestCluster;
let client: pg.Client;
const dir = mkdtempSync(join(tmpdir(), 'tributary-copy-'));

before(async () => {
  cluster = await startTestCluster();
  client = await cluster.client();
});

after(async () => {
  await client?.end();
  await cluster?.close();
});

function psql(command: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(PSQL, ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'root', '-d', 'dev', '-X', '-v', 'ON_ERROR_STOP=1', '-c', command],
      { env: { ...process.env, PGCONNECT_TIMEOUT: '5' } }, (err, stdout, stderr) =>
        resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }));
  });
}

/** Rows as arrays of the raw text values. */
const textTypes = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;
const rows = async (sql: string): Promise<unknown[][]> => (await client.query({ text: sql, rowMode: 'array', types: textTypes })).rows;

test('psql \\copy from a CSV file with a header, then \\copy to a file', { skip: !existsSync(PSQL) }, async () => {
  await client.query('create table people (id int primary key, name varchar, score double precision, born date)');
  const file = join(dir, 'people.csv');
  writeFileSync(file, 'id,name,score,born\n1,"Smith, Anna",1.5,2001-02-03\n2,"say ""hi""",,1999-12-31\n3,"multi\nline",-2,\n');
  const r = await psql(`\\copy people from '${file}' with (format csv, header true)`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /COPY 3/);
  await client.query('flush');
  assert.deepEqual(await rows('select id, name, score, born from people order by id'), [
    ['1', 'Smith, Anna', '1.5', '2001-02-03'],
    ['2', 'say "hi"', null, '1999-12-31'],
    ['3', 'multi\nline', '-2', null],
  ]);
  const out = join(dir, 'people-out.csv');
  const w = await psql(`\\copy (select id, name from people order by id) to '${out}' csv header`);
  assert.equal(w.code, 0, w.stderr);
  assert.equal(readFileSync(out, 'utf8'), 'id,name\n1,"Smith, Anna"\n2,"say ""hi"""\n3,"multi\nline"\n');
});

test('COPY FROM STDIN in text format: escapes, NULL, DELIMITER and NULL options, \\. terminator', async () => {
  await client.query('create table words (k int primary key, w varchar, n int)');
  const c = await RawClient.connect(cluster.port);
  c.send(m.query('copy words from stdin'));
  const started = await c.until('G');
  assert.equal(types(started), 'G');
  c.send(m.copyData('1\ttab\\there\t10\n2\t\\N\t\\N\n3\tback\\\\slash\t'), m.copyData('30\n\\.\n'), m.copyDone());
  const done = await c.until('Z');
  assert.equal(done[0].body.toString('utf8'), 'COPY 3\0');
  c.send(m.query("copy words (k, w) from stdin with (delimiter '|', null 'NULL')"));
  await c.until('G');
  c.send(m.copyData('4|a|b\n'), m.copyDone());
  const bad = await c.until('Z');
  assert.equal(errorCode(bad[0].body), '22P04'); // extra data after last expected column
  c.send(m.query("copy words (k, w) from stdin with (delimiter '|', null 'NULL')"));
  await c.until('G');
  c.send(m.copyData('5|NULL\n6|six\n'), m.copyDone());
  assert.equal((await c.until('Z'))[0].body.toString('utf8'), 'COPY 2\0');
  c.send(m.query('copy words from stdin'));
  await c.until('G');
  c.send(m.copyData('7\tseven\t7\n'), m.copyFail('client gave up'));
  const failed = await c.until('Z');
  assert.equal(errorCode(failed[0].body), '57014');
  c.end();
  await client.query('flush');
  assert.deepEqual(await rows('select k, w, n from words order by k'), [
    ['1', 'tab\there', '10'], ['2', null, null], ['3', 'back\\slash', '30'], ['5', null, null], ['6', 'six', null],
  ]);
});

test('COPY TO STDOUT: a table and a query, text and CSV', async () => {
  const r = await psql('copy words to stdout');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(lines, ['1\ttab\\there\t10', '2\t\\N\t\\N', '3\tback\\\\slash\t30', '5\t\\N\t\\N', '6\tsix\t\\N']);
  const csv = await psql("copy (select k, w from words where k < 3 order by k) to stdout with (format csv, header, delimiter ';')");
  assert.equal(csv.stdout, 'k;w\n1;tab\there\n2;\n');
});

test('COPY of many rows is batched through the DML path', async () => {
  await client.query('create table bulk (id int primary key, v varchar)');
  const c = await RawClient.connect(cluster.port);
  c.send(m.query('copy bulk from stdin with csv'));
  await c.until('G');
  const total = 12_345;
  for (let start = 0; start < total; start += 1000) {
    let chunk = '';
    for (let i = start; i < Math.min(total, start + 1000); i++) chunk += `${i},value ${i}\n`;
    c.send(m.copyData(chunk));
  }
  c.send(m.copyDone());
  const done = await c.until('Z');
  assert.equal(done[0].body.toString('utf8'), `COPY ${total}\0`);
  c.end();
  await client.query('flush');
  assert.deepEqual(await rows('select count(*), min(id), max(id) from bulk'), [[String(total), '0', String(total - 1)]]);
  // A long SELECT stops at statement_timeout.
  await client.query('set statement_timeout = 1');
  await assert.rejects(client.query('select * from bulk'), (e: { code: string }) => e.code === '57014');
  await client.query('set statement_timeout to default');
  assert.deepEqual(await rows('select v from bulk order by v desc limit 1'), [['value 9999']]);
});
