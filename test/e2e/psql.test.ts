// The real psql client against a playground.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlayground, psql, psqlAligned, dumpLogs, type Playground } from '../harness/cluster.ts';

describe('psql', { timeout: 60_000 }, () => {
  let pg: Playground | undefined;
  let failed = false;
  before(async () => { pg = await startPlayground(); });
  after(async () => {
    if (failed && pg) dumpLogs(pg.procs);
    await pg?.stop();
  });
  const guard = (fn: () => Promise<void>) => async () => {
    try { await fn(); } catch (e) { failed = true; throw e; }
  };

  it('runs several statements in one -c (psql >= 15 prints every result)', guard(async () => {
    const r = await psql(pg!.port,
      "create table ps_t (id int primary key, name varchar, v numeric); insert into ps_t values (1, 'a', 1.5), (2, 'b', NULL), (3, NULL, -2); flush; select id, name, v from ps_t order by id");
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'CREATE TABLE\nINSERT 0 3\nFLUSH\n1|a|1.5\n2|b|\n3||-2\n');
  }));

  it('several -c options run in order in one session', guard(async () => {
    const r = await psql(pg!.port, ['insert into ps_t values (4, \'d\', 4)', 'flush', 'select count(*) from ps_t', 'select max(id) from ps_t']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'INSERT 0 1\nFLUSH\n4\n4\n');
  }));

  it('prints the aligned table format', guard(async () => {
    const r = await psqlAligned(pg!.port, 'select id, name, v from ps_t where id <= 3 order by id');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout,
      ' id | name |  v  \n' +
      '----+------+-----\n' +
      '  1 | a    | 1.5\n' +
      '  2 | b    |    \n' +
      '  3 |      |  -2\n' +
      '(3 rows)\n\n');
    const one = await psqlAligned(pg!.port, 'select count(*) as n from ps_t');
    assert.equal(one.stdout, ' n \n---\n 4\n(1 row)\n\n');
    const none = await psqlAligned(pg!.port, 'select id from ps_t where id > 100');
    assert.equal(none.stdout, ' id \n----\n(0 rows)\n\n');
  }));

  it('shows command tags', guard(async () => {
    const r = await psqlAligned(pg!.port, null, {
      stdin: "update ps_t set name = 'z' where id >= 3;\ndelete from ps_t where id = 4;\nflush;\nshow tables;\n",
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'UPDATE 2\nDELETE 1\nFLUSH\n Name \n------\n ps_t\n(1 row)\n\n');
  }));

  it('errors print ERROR: with the message and exit non-zero', guard(async () => {
    const r = await psql(pg!.port, 'select * from ps_missing');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR: {2}relation "ps_missing" does not exist/);
    assert.equal(r.stdout, '');
    const syn = await psql(pg!.port, 'select from from');
    assert.equal(syn.code, 1);
    assert.match(syn.stderr, /ERROR: {2}syntax error at or near "from"/);
    const verbose = await psql(pg!.port, null, { stdin: '\\set VERBOSITY verbose\nselect nocol from ps_t;\n' });
    assert.match(verbose.stderr, /ERROR: {2}42703: column "nocol" does not exist/);
  }));

  it('ON_ERROR_STOP=1 stops a script at the first error with exit code 3', guard(async () => {
    const script = "select 'before';\nselect * from ps_missing;\nselect 'after';\n";
    const r = await psql(pg!.port, null, { stdin: script });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'before\n');
    assert.match(r.stderr, /ERROR: {2}relation "ps_missing" does not exist/);
  }));

  it('without ON_ERROR_STOP the script continues and exits 0', guard(async () => {
    const script = "select 'before';\nselect * from ps_missing;\nselect 'after';\n";
    const r = await psql(pg!.port, null, { stdin: script, onErrorStop: false });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'before\nafter\n');
    assert.match(r.stderr, /ERROR: {2}relation "ps_missing" does not exist/);
    // \set inside the script switches it on half-way
    const r2 = await psql(pg!.port, null, {
      onErrorStop: false,
      stdin: "select * from ps_missing;\nselect 'mid';\n\\set ON_ERROR_STOP on\nselect * from ps_missing;\nselect 'after';\n",
    });
    assert.equal(r2.code, 3);
    assert.equal(r2.stdout, 'mid\n');
    assert.equal(r2.stderr.match(/ERROR:/g)?.length, 2);
  }));

  it('the server is still healthy and cleans up', guard(async () => {
    const r = await psql(pg!.port, ['drop table ps_t', 'show tables']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'DROP TABLE\n');
  }));
});
