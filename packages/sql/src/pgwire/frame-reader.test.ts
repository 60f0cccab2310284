import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader } from './frame-reader.ts';

function typed(type: string, body: string): Buffer {
  const b = Buffer.from(body);
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + b.length, 1);
  return Buffer.concat([head, b]);
}

test('frames split across arbitrary chunk boundaries', () => {
  const stream = Buffer.concat([typed('Q', 'select 1\0'), typed('X', ''), typed('Q', 'x'.repeat(1000))]);
  for (const step of [1, 2, 3, 7, 64, stream.length]) {
    const reader = new FrameReader();
    const frames: Array<[string, string]> = [];
    for (let i = 0; i < stream.length; i += step) {
      reader.push(stream.subarray(i, i + step));
      for (let f = reader.next(false); f; f = reader.next(false)) frames.push([String.fromCharCode(f.type), f.body.toString()]);
    }
    assert.deepEqual(frames, [['Q', 'select 1\0'], ['X', ''], ['Q', 'x'.repeat(1000)]], `step ${step}`);
    assert.equal(reader.buffered, 0);
  }
});

test('startup frames have no type byte', () => {
  const reader = new FrameReader();
  reader.push(Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f, 0x51]));
  const f = reader.next(true);
  assert.equal(f?.type, 0);
  assert.equal(f?.body.readInt32BE(0), 80877103);
  assert.equal(reader.next(false), null);
  assert.equal(reader.buffered, 1);
});

test('absurd lengths are protocol violations', () => {
  for (const length of [0, 3, -1, (1 << 30) + 1]) {
    const reader = new FrameReader();
    const head = Buffer.alloc(5);
    head[0] = 0x51;
    head.writeInt32BE(length, 1);
    reader.push(head);
    assert.throws(() => reader.next(false), (e: { code: string }) => e.code === '08P01');
  }
});
