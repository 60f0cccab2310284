import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamChunk, type Barrier, type StateTableDesc } from '@tributary/common';
import { MemoryStateStore } from '../../state-table/memory-state-store.ts';
import { StateTable } from '../../state-table/state-table.ts';
import { MaterializeExecutor } from './materialize.ts';
import { TableScanExecutor } from './table-scan.ts';
import { barrier, ChannelSource, chunkToLines, collect, prettyLines, sourceOf } from './test-utils.ts';
import type { BackfillProgress } from './table-scan.ts';

const ALL_VNODES = Array.from({ length: 256 }, (_, i) => i);
const UPSTREAM: StateTableDesc = {
  tableId: 1, name: 't', columns: ['bigint', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [0],
};
const PROGRESS: StateTableDesc = {
  tableId: 2, name: 'mv.progress', columns: ['smallint', 'boolean', 'bytea', 'bigint'], pk: [0], pkOrders: ['asc'], distKey: [0],
};

async function seedUpstream(store: MemoryStateStore): Promise<void> {
  const src = sourceOf(['bigint', 'bigint'], [1n, ' I I\n + 1 10\n + 2 20\n + 3 30', 2n]);
  await collect(new MaterializeExecutor(src, new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite'));
}

function scan(store: MemoryStateStore, items: Parameters<typeof sourceOf>[1]) {
  return new TableScanExecutor({
    upstream: sourceOf(['bigint', 'bigint'], items),
    upstreamTable: new StateTable(UPSTREAM, store, ALL_VNODES),
    outputIndices: [1, 0],
    progressTable: new StateTable(PROGRESS, store, ALL_VNODES),
    vnodes: ALL_VNODES,
  });
}

test('table scan yields the snapshot after the first barrier, then the live stream', async () => {
  const store = new MemoryStateStore();
  await seedUpstream(store);
  const out = await collect(scan(store, [barrier(3n), ' I I\n + 4 40\n - 1 10', 4n]));
  assert.equal(out[0], 'barrier 3');
  assert.deepEqual(out.slice(1, 4).sort(), prettyLines(' I I\n + 10 1\n + 20 2\n + 30 3'));
  assert.deepEqual(out.slice(4), [...prettyLines(' I I\n + 40 4\n - 10 1'), 'barrier 4']);

  // Restarted after progress was committed (at epoch 3): no second snapshot.
  const again = await collect(scan(store, [{ prevEpoch: 3n, currEpoch: 9n, kind: 'initial' }, ' I I\n + 5 50', 10n]));
  assert.deepEqual(again, ['barrier 9', ...prettyLines(' I I\n + 50 5'), 'barrier 10']);
});

/** Upstream changes per epoch over ids 1..n: overwrite, delete, insert beyond the range. */
function liveChanges(n: number, epochs: number): string[] {
  const out: string[] = [];
  for (let e = 0; e < epochs; e++) {
    const lines = [' I I'];
    for (let j = 0; j < 6; j++) {
      const id = ((e * 37 + j * 53) % n) + 1;
      lines.push(j % 3 === 2 ? ` - ${id} ${id * 10}` : ` + ${id} ${1000 * (e + 1) + j}`);
    }
    lines.push(` + ${n + e + 1} ${n + e + 1}`);
    out.push(lines.join('\n'));
  }
  return out;
}

test('interleaved backfill: snapshot chunks between barriers, live changes exactly once, progress reported', async () => {
  const n = 60;
  const store = new MemoryStateStore();
  const seedRows = Array.from({ length: n }, (_, i) => ` + ${i + 1} ${(i + 1) * 10}`).join('\n');
  await collect(new MaterializeExecutor(sourceOf(['bigint', 'bigint'], [1n, ` I I\n${seedRows}`, 2n]), new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite'));
  const epochs = 12;
  const items: Parameters<typeof sourceOf>[1] = [3n];
  liveChanges(n, epochs).forEach((c, e) => items.push(c, BigInt(4 + e)));
  // The production shape: the upstream materialize writes the table the backfill reads.
  const upstream = new MaterializeExecutor(sourceOf(['bigint', 'bigint'], items), new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite');
  const reports: BackfillProgress[] = [];
  const exec = new TableScanExecutor({
    upstream, upstreamTable: new StateTable(UPSTREAM, store, ALL_VNODES), outputIndices: [1, 0],
    progressTable: new StateTable(PROGRESS, store, ALL_VNODES), vnodes: ALL_VNODES, snapshotChunkRows: 4,
    onProgress: (_b: Barrier, p: BackfillProgress) => reports.push(p),
  });
  const view = new Map<string, string>();
  let barriers = 0;
  let chunksAfterFirstBarrier = 0;
  for await (const msg of exec.execute()) {
    if (msg.kind === 'barrier') barriers++;
    if (msg.kind !== 'chunk') continue;
    if (barriers > 1) chunksAfterFirstBarrier++;
    for (const line of chunkToLines(msg.chunk as StreamChunk)) {
      const [op, v, id] = line.trim().split(/\s+/);
      if (op === '+' || op === 'U+') {
        assert.ok(!view.has(id), `row ${id} sent twice`);
        view.set(id, v);
      } else {
        assert.equal(view.get(id), v, `delete of a row not sent: ${line}`);
        view.delete(id);
      }
    }
  }
  const expected = new Map<string, string>();
  for (const row of await collectRows(store)) expected.set(String(row[0]), String(row[1]));
  assert.deepEqual([...view.entries()].sort(), [...expected.entries()].sort());
  assert.ok(chunksAfterFirstBarrier > 0, 'the snapshot spans several epochs');
  assert.ok(reports.length >= 2 && reports.at(-1)!.done && !reports[0].done);
  assert.equal(reports[0].totalRows, n);
  assert.ok(reports.some((r) => r.consumedRows > 0 && r.consumedRows < n && !r.done), 'progress is reported mid-way');
});

async function collectRows(store: MemoryStateStore): Promise<unknown[][]> {
  const t = new StateTable(UPSTREAM, store, ALL_VNODES);
  t.init(1000n);
  const rows: unknown[][] = [];
  for await (const r of t.iterAll()) rows.push(r);
  return rows;
}

test('a rebuilt backfill resumes behind its saved positions: no row lost or sent twice', async () => {
  const n = 80;
  const store = new MemoryStateStore();
  const seedRows = Array.from({ length: n }, (_, i) => ` + ${i + 1} ${(i + 1) * 10}`).join('\n');
  await collect(new MaterializeExecutor(sourceOf(['bigint', 'bigint'], [1n, ` I I\n${seedRows}`, 2n]), new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite'));
  const changes = liveChanges(n, 40);
  const run = (items: Parameters<typeof sourceOf>[1], reports: BackfillProgress[]) => new TableScanExecutor({
    upstream: new MaterializeExecutor(sourceOf(['bigint', 'bigint'], items), new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite'),
    upstreamTable: new StateTable(UPSTREAM, store, ALL_VNODES), outputIndices: [1, 0],
    progressTable: new StateTable(PROGRESS, store, ALL_VNODES), vnodes: ALL_VNODES, snapshotChunkRows: 2,
    onProgress: (_b: Barrier, p: BackfillProgress) => reports.push(p),
  });
  // First life: stops right after barrier 5 (its epochs up to 4 are what a recovery restores).
  const first: BackfillProgress[] = [];
  const out1 = await collect(run([3n, changes[0], 4n, changes[1], 5n, changes[2], 6n], first), 3);
  assert.ok(!first.at(-1)!.done, 'still backfilling when stopped');
  const second: BackfillProgress[] = [];
  const items: Parameters<typeof sourceOf>[1] = [{ prevEpoch: 5n, currEpoch: 6n, kind: 'initial' }];
  changes.slice(3).forEach((c, e) => items.push(c, BigInt(7 + e)));
  const out2 = await collect(run(items, second));
  assert.equal(second[0].consumedRows, first.at(-1)!.consumedRows, 'resumes from the saved count');
  assert.ok(second.at(-1)!.done);
  const view = new Map<string, string>();
  for (const line of [...out1, ...out2]) {
    if (line.startsWith('barrier')) continue;
    const [op, v, id] = line.trim().split(/\s+/);
    if (op === '+' || op === 'U+') {
      assert.ok(!view.has(id), `row ${id} sent twice`);
      view.set(id, v);
    } else {
      assert.equal(view.get(id), v, `delete of a row not sent: ${line}`);
      view.delete(id);
    }
  }
  const expected = new Map<string, string>();
  for (const row of await collectRows(store)) expected.set(String(row[0]), String(row[1]));
  assert.deepEqual([...view.entries()].sort(), [...expected.entries()].sort());
});

test('backfill rate limit: snapshot rows trickle at the limit while barriers keep flowing', async () => {
  const n = 150;
  const rate = 100;
  const store = new MemoryStateStore();
  const seedRows = Array.from({ length: n }, (_, i) => ` + ${i + 1} ${(i + 1) * 10}`).join('\n');
  await collect(new MaterializeExecutor(sourceOf(['bigint', 'bigint'], [1n, ` I I\n${seedRows}`, 2n]), new StateTable(UPSTREAM, store, ALL_VNODES), 'overwrite'));
  const upstream = new ChannelSource(['bigint', 'bigint']);
  upstream.push(barrier(3n));
  const reports: BackfillProgress[] = [];
  const exec = new TableScanExecutor({
    upstream, upstreamTable: new StateTable(UPSTREAM, store, ALL_VNODES), outputIndices: [1, 0],
    progressTable: new StateTable(PROGRESS, store, ALL_VNODES), vnodes: ALL_VNODES, rateLimitRowsPerSecond: rate,
    onProgress: (_b: Barrier, p: BackfillProgress) => reports.push(p),
  });
  // Barriers every 50 ms until the backfill reports done: a limited snapshot never holds them up.
  let epoch = 4n;
  const ticker = setInterval(() => {
    if (reports.at(-1)?.done) upstream.close();
    else upstream.push(barrier(epoch++));
  }, 50);
  const started = performance.now();
  const snapshotRowsPerEpoch: number[] = [0];
  const sent = new Set<string>();
  try {
    for await (const msg of exec.execute()) {
      if (msg.kind === 'barrier') snapshotRowsPerEpoch.push(0);
      if (msg.kind !== 'chunk') continue;
      for (const line of chunkToLines(msg.chunk as StreamChunk)) {
        assert.ok(!sent.has(line), `row sent twice: ${line}`);
        sent.add(line);
        snapshotRowsPerEpoch[snapshotRowsPerEpoch.length - 1]++;
      }
    }
  } finally {
    clearInterval(ticker);
  }
  const elapsedMs = performance.now() - started;
  assert.equal(sent.size, n, 'every snapshot row once');
  // A burst of one second's worth, then `rate` rows per second: (n - rate) / rate seconds at least.
  assert.ok(elapsedMs >= ((n - rate) * 1000) / rate - 20, `took ${elapsedMs.toFixed(0)} ms`);
  assert.ok(snapshotRowsPerEpoch.length > 5, `barriers flowed during the backfill: ${snapshotRowsPerEpoch.join(' ')}`);
  assert.ok(reports.some((r) => !r.done && r.consumedRows > 0 && r.consumedRows < n), 'progress reported mid-way');
});
