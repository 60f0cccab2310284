import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Channel } from '../channel.ts';
import type { Message } from '../message.ts';
import { MergeExecutor } from './merge.ts';
import { barrier, chunkFromPretty, chunkToLines } from './test-utils.ts';

const chunk = (text: string): Message => ({ kind: 'chunk', chunk: chunkFromPretty(text) });
const bar = (e: bigint): Message => ({ kind: 'barrier', barrier: barrier(e) });
const tick = () => new Promise((r) => setTimeout(r, 5));

test('merge aligns barriers of two inputs and passes chunks as they come', async () => {
  const a = new Channel<Message>(16);
  const b = new Channel<Message>(16);
  const merge = new MergeExecutor(['bigint'], [a, b]);
  const out: string[] = [];
  const done = (async () => {
    for await (const msg of merge.execute()) {
      if (msg.kind === 'chunk') out.push(...chunkToLines(msg.chunk));
      else if (msg.kind === 'barrier') out.push(`barrier ${msg.barrier.currEpoch}`);
    }
  })();
  a.sendNow(chunk(' I\n + 1'));
  a.sendNow(bar(1n));
  a.sendNow(chunk(' I\n + 2')); // after a's barrier: must wait until b delivers barrier 1
  await tick();
  assert.deepEqual(out, ['+ 1']);
  b.sendNow(chunk(' I\n + 3'));
  await tick();
  assert.deepEqual(out, ['+ 1', '+ 3']);
  b.sendNow(bar(1n));
  await tick();
  assert.deepEqual(out, ['+ 1', '+ 3', 'barrier 1', '+ 2']);
  b.sendNow(bar(2n));
  b.close();
  await tick();
  assert.deepEqual(out.at(-1), '+ 2');
  a.sendNow(bar(2n));
  a.close();
  await done;
  assert.deepEqual(out, ['+ 1', '+ 3', 'barrier 1', '+ 2', 'barrier 2']);
});

test('merge: a closed input leaves the alignment set', async () => {
  const a = new Channel<Message>(16);
  const b = new Channel<Message>(16);
  b.close();
  a.sendNow(bar(1n));
  a.sendNow(chunk(' I\n + 1'));
  a.close();
  const out: string[] = [];
  for await (const msg of new MergeExecutor(['bigint'], [a, b]).execute()) {
    out.push(msg.kind === 'chunk' ? chunkToLines(msg.chunk).join() : msg.kind);
  }
  assert.deepEqual(out, ['barrier', '+ 1']);
});

test('merge forwards the minimum watermark once every input sent one', async () => {
  const a = new Channel<Message>(16);
  const b = new Channel<Message>(16);
  const wm = (v: bigint): Message => ({ kind: 'watermark', column: 0, value: v });
  a.sendNow(wm(5n));
  a.sendNow(wm(9n));
  a.close();
  const out: string[] = [];
  const done = (async () => {
    for await (const msg of new MergeExecutor(['bigint'], [a, b]).execute()) {
      if (msg.kind === 'watermark') out.push(`wm ${msg.value}`);
    }
  })();
  await tick();
  b.sendNow(wm(7n));
  await tick();
  b.sendNow(wm(8n));
  b.close();
  await done;
  // a closed: from then on only b bounds the column.
  assert.deepEqual(out, ['wm 7', 'wm 8']);
});

test('merge: an update barrier swaps inputs (the new input starts with that barrier)', async () => {
  const a = new Channel<Message>(16);
  const b = new Channel<Message>(16);
  const c = new Channel<Message>(16);
  const opened: number[] = [];
  const merge = new MergeExecutor(['bigint'], [a, b], {
    actorId: 7,
    upstreamFragmentId: 3,
    upstreamActorIds: [1, 2],
    open: (up) => {
      opened.push(up.actorId);
      return c;
    },
  });
  const update: Message = {
    kind: 'barrier',
    barrier: { ...barrier(2n), mutation: { kind: 'update', dispatchers: {}, merges: { 7: [{ upstreamFragmentId: 3, added: [{ actorId: 5, address: 'x' }], removed: [1] }] }, stops: [1] } },
  };
  const out: string[] = [];
  const done = (async () => {
    for await (const msg of merge.execute()) {
      if (msg.kind === 'chunk') out.push(...chunkToLines(msg.chunk));
      else if (msg.kind === 'barrier') out.push(`barrier ${msg.barrier.currEpoch}`);
    }
  })();
  a.sendNow(chunk(' I\n + 1'));
  a.sendNow(update);
  a.close(); // the moved actor ends after the barrier
  b.sendNow(update);
  b.sendNow(chunk(' I\n + 2'));
  await tick();
  assert.deepEqual(out, ['+ 1'], 'waits for the new input to deliver the barrier');
  c.sendNow(update);
  c.sendNow(chunk(' I\n + 3'));
  await tick();
  assert.deepEqual(opened, [5]);
  assert.deepEqual(out.slice(0, 2), ['+ 1', 'barrier 2']);
  assert.deepEqual(out.slice(2).sort(), ['+ 2', '+ 3']);
  b.sendNow(bar(3n));
  c.sendNow(bar(3n)); // the removed input is no longer awaited
  await tick();
  assert.equal(out.at(-1), 'barrier 3');
  b.close();
  c.close();
  await done;
});
