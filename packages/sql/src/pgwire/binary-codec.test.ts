import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBinary, decodeNumeric, encodeBinary, encodeNumeric } from './binary-codec.ts';

test('numeric base-10000 format round-trips and matches PostgreSQL layouts', () => {
  for (const v of ['0', '1', '-1', '10000', '0.0001', '-12345.678901', '123456789012345678901234567890.5', '0.00', '1.10', '9999.9999', 'NaN', 'Infinity', '-Infinity']) {
    assert.equal(decodeNumeric(encodeNumeric(v)), v, v);
  }
  // 10000: one digit 1 with weight 1; 0.0001: digit 1 with weight -1 (dscale 4).
  assert.deepEqual([...encodeNumeric('10000')], [0, 1, 0, 1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual([...encodeNumeric('0.0001')], [0, 1, 0xff, 0xff, 0, 0, 0, 4, 0, 1]);
  assert.deepEqual([...encodeNumeric('0')], [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('binary parameters decode to the text input of their type', () => {
  const cases: Array<[number, string]> = [
    [16, 'true'], [21, '-7'], [23, '2147483647'], [20, '-9223372036854775808'], [700, '1.5'], [701, '-0.25'],
    [1700, '-3.14'], [25, 'héllo'], [1043, ''], [17, '\\x00ff10'], [1082, '2024-02-29'],
    [1114, '2024-01-01 10:00:00.123456'], [1184, '1999-12-31 23:59:59+00'], [1083, '12:34:56'],
  ];
  for (const [oid, text] of cases) assert.equal(decodeBinary(oid, encodeBinary(oid, text)), text, `oid ${oid}`);
  assert.equal(encodeBinary(1082, '2000-01-01').readInt32BE(0), 0);
  assert.equal(encodeBinary(1114, '2000-01-01 00:00:01').readBigInt64BE(0), 1_000_000n);
  assert.throws(() => decodeBinary(23, Buffer.alloc(3)), (e: { code: string }) => e.code === '22023');
});
