import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeVnode, computeVnodes, extractVnodeFromRowId, makeRowId, RowIdGenerator, VNODE_COUNT } from './vnode.ts';
import { Decimal } from '../types/decimal.ts';
import { RandomDatums } from '../types/random-datum.ts';
import { ALL_DATA_TYPES } from '../types/data-type.ts';

test('computeVnode is deterministic, in range, and spreads keys', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 5000; i++) {
    const v = computeVnode(['integer'], [i]);
    assert.ok(Number.isInteger(v) && v >= 0 && v < VNODE_COUNT);
    assert.equal(computeVnode(['integer'], [i]), v);
    seen.add(v);
  }
  assert.equal(seen.size, VNODE_COUNT);
  const rnd = new RandomDatums(3);
  for (const t of ALL_DATA_TYPES) {
    const d = rnd.datum(t);
    const v = computeVnode([t, 'bigint'], [d, 1n]);
    assert.ok(v >= 0 && v < VNODE_COUNT);
  }
});

test('equal values hash to the same vnode', () => {
  assert.equal(computeVnode(['numeric'], [Decimal.parse('1.0')]), computeVnode(['numeric'], [Decimal.parse('1.000')]));
  assert.equal(computeVnode(['double precision'], [-0]), computeVnode(['double precision'], [0]));
});

test('column-wise computeVnodes agrees with computeVnode', () => {
  const a = [1, 2, 3, null];
  const b = ['x', null, 'z', 'w'];
  const out = new Uint16Array(4);
  computeVnodes(['integer', 'character varying'], [a, b], 4, out);
  for (let i = 0; i < 4; i++) assert.equal(out[i], computeVnode(['integer', 'character varying'], [a[i], b[i]]));
});

test('row ids embed the vnode, and computeVnode uses it', () => {
  const id = makeRowId(123456, 77, 5);
  assert.equal(extractVnodeFromRowId(id), 77);
  assert.equal(computeVnode(['bigint'], [id], true), 77);
});

test('RowIdGenerator: unique, cycles owned vnodes, increasing per vnode', () => {
  let now = Date.UTC(2024, 0, 1);
  const gen = new RowIdGenerator([9, 5, 200], () => now);
  const ids: bigint[] = [];
  for (let i = 0; i < 20000; i++) {
    if (i % 7000 === 0) now++;
    ids.push(gen.next());
  }
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids.slice(0, 4).map(extractVnodeFromRowId), [5, 9, 200, 5]);
  const lastPerVnode = new Map<number, bigint>();
  for (const id of ids) {
    const v = extractVnodeFromRowId(id);
    const prev = lastPerVnode.get(v);
    if (prev !== undefined) assert.ok(id > prev);
    lastPerVnode.set(v, id);
  }
  // Clock going backwards never repeats ids.
  now -= 1000;
  const after = gen.next();
  assert.ok(!ids.includes(after));
});
