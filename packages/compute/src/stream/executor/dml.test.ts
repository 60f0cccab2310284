import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Channel } from '../channel.ts';
import { DmlExecutor, type DmlMessage } from './dml.ts';
import { barrier, chunkFromPretty, chunkToLines } from './test-utils.ts';

test('dml yields in FIFO order and acknowledges a chunk once it was handed on', async () => {
  const inbox = new Channel<DmlMessage>(16);
  const acks: string[] = [];
  inbox.sendNow({ kind: 'barrier', barrier: barrier(1n) });
  inbox.sendNow({ kind: 'chunk', chunk: chunkFromPretty(' I\n + 1'), done: () => acks.push('a') });
  inbox.sendNow({ kind: 'chunk', chunk: chunkFromPretty(' I\n + 2'), done: () => acks.push('b') });
  inbox.sendNow({ kind: 'barrier', barrier: barrier(2n) });
  inbox.close();
  const out: string[] = [];
  for await (const msg of new DmlExecutor(['bigint'], inbox).execute()) {
    if (msg.kind === 'chunk') {
      out.push(...chunkToLines(msg.chunk));
      out.push(`acks=${acks.join('')}`);
    } else if (msg.kind === 'barrier') out.push(`barrier ${msg.barrier.currEpoch}`);
  }
  assert.deepEqual(out, ['barrier 1', '+ 1', 'acks=', '+ 2', 'acks=a', 'barrier 2']);
  assert.deepEqual(acks, ['a', 'b']);
});

test('dml holds chunks that arrive before the first barrier and yields them after it', async () => {
  const inbox = new Channel<DmlMessage>(16);
  const acks: bigint[] = [];
  inbox.sendNow({ kind: 'chunk', chunk: chunkFromPretty(' I\n + 1'), done: (e) => acks.push(e) });
  inbox.sendNow({ kind: 'barrier', barrier: barrier(5n) });
  inbox.close();
  const out: string[] = [];
  for await (const msg of new DmlExecutor(['bigint'], inbox).execute()) {
    if (msg.kind === 'chunk') out.push(...chunkToLines(msg.chunk));
    else if (msg.kind === 'barrier') out.push(`barrier ${msg.barrier.currEpoch}`);
  }
  assert.deepEqual(out, ['barrier 5', '+ 1']);
  assert.deepEqual(acks, [5n]);
});
