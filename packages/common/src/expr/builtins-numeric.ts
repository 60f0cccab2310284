import type { DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import type { Decimal } from '../types/decimal.ts';
import type { Interval } from '../types/interval.ts';
import { divisionByZero, floatOverflow, intOutOfRange, register, strict } from './function-registry.ts';

/** Arithmetic operators and numeric functions with PG's overflow and division-by-zero errors. */

type NumType = 'smallint' | 'integer' | 'bigint' | 'numeric' | 'real' | 'double precision';
const NUM_TYPES: readonly NumType[] = ['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision'];

function checkInt(type: 'smallint' | 'integer', v: number): number {
  if (type === 'integer' ? v > 2147483647 || v < -2147483648 : v > 32767 || v < -32768) throw intOutOfRange(type);
  return v;
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function checkI64(v: bigint): bigint {
  if (v > I64_MAX || v < I64_MIN) throw intOutOfRange('bigint');
  return v;
}

function checkFloat(type: 'real' | 'double precision', v: number, a: number, b: number): number {
  if (type === 'real') v = Math.fround(v);
  if (!Number.isFinite(v) && Number.isFinite(a) && Number.isFinite(b) && !Number.isNaN(v)) throw floatOverflow();
  return v;
}

type BinOp = '+' | '-' | '*' | '/' | '%';

function numericBinary(op: BinOp, t: NumType): ((args: Datum[]) => Datum) | null {
  switch (t) {
    case 'smallint':
    case 'integer':
      return (a) => {
        const x = a[0] as number;
        const y = a[1] as number;
        switch (op) {
          case '+': return checkInt(t, x + y);
          case '-': return checkInt(t, x - y);
          case '*': return checkInt(t, x * y);
          case '/':
            if (y === 0) throw divisionByZero();
            return checkInt(t, Math.trunc(x / y));
          case '%':
            if (y === 0) throw divisionByZero();
            return (x % y) | 0;
        }
      };
    case 'bigint':
      return (a) => {
        const x = a[0] as bigint;
        const y = a[1] as bigint;
        switch (op) {
          case '+': return checkI64(x + y);
          case '-': return checkI64(x - y);
          case '*': return checkI64(x * y);
          case '/':
            if (y === 0n) throw divisionByZero();
            return checkI64(x / y);
          case '%':
            if (y === 0n) throw divisionByZero();
            return x % y;
        }
      };
    case 'numeric':
      return (a) => {
        const x = a[0] as Decimal;
        const y = a[1] as Decimal;
        switch (op) {
          case '+': return x.add(y);
          case '-': return x.sub(y);
          case '*': return x.mul(y);
          case '/': return x.div(y);
          case '%': return x.mod(y);
        }
      };
    case 'real':
    case 'double precision':
      if (op === '%') return null;
      return (a) => {
        const x = a[0] as number;
        const y = a[1] as number;
        switch (op) {
          case '+': return checkFloat(t, x + y, x, y);
          case '-': return checkFloat(t, x - y, x, y);
          case '*': return checkFloat(t, x * y, x, y);
          default:
            if (y === 0) throw divisionByZero();
            return checkFloat(t, x / y, x, y);
        }
      };
  }
}

export function registerArithmetic(): void {
  for (const op of ['+', '-', '*', '/', '%'] as const) {
    for (const t of NUM_TYPES) {
      const fn = numericBinary(op, t);
      if (fn !== null) register(op, { args: [t, t], ret: t, impl: strict(fn) });
    }
    if (op === '%') continue;
    // float48 / float84 operators: a real mixed with a double (or anything cast to one) computes in double.
    const f8 = numericBinary(op, 'double precision')!;
    const cast: DataType[] = ['double precision', 'double precision'];
    register(op, { args: ['real', 'double precision'], castTo: cast, ret: 'double precision', impl: strict(f8) });
    register(op, { args: ['double precision', 'real'], castTo: cast, ret: 'double precision', impl: strict(f8) });
  }
  register('mod', { args: ['smallint', 'smallint'], ret: 'smallint', impl: strict(numericBinary('%', 'smallint')!) });
  register('mod', { args: ['integer', 'integer'], ret: 'integer', impl: strict(numericBinary('%', 'integer')!) });
  register('mod', { args: ['bigint', 'bigint'], ret: 'bigint', impl: strict(numericBinary('%', 'bigint')!) });
  register('mod', { args: ['numeric', 'numeric'], ret: 'numeric', impl: strict(numericBinary('%', 'numeric')!) });

  register('neg', { args: ['smallint'], ret: 'smallint', impl: strict((a) => checkInt('smallint', -(a[0] as number) | 0)) });
  register('neg', { args: ['integer'], ret: 'integer', impl: strict((a) => checkInt('integer', 0 - (a[0] as number))) });
  register('neg', { args: ['bigint'], ret: 'bigint', impl: strict((a) => checkI64(-(a[0] as bigint))) });
  register('neg', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).neg()) });
  register('neg', { args: ['real'], ret: 'real', impl: strict((a) => -(a[0] as number)) });
  register('neg', { args: ['double precision'], ret: 'double precision', impl: strict((a) => -(a[0] as number)) });
  register('neg', { args: ['interval'], ret: 'interval', impl: strict((a) => (a[0] as Interval).neg()) });

  register('abs', { args: ['smallint'], ret: 'smallint', impl: strict((a) => checkInt('smallint', Math.abs(a[0] as number))) });
  register('abs', { args: ['integer'], ret: 'integer', impl: strict((a) => checkInt('integer', Math.abs(a[0] as number))) });
  register('abs', { args: ['bigint'], ret: 'bigint', impl: strict((a) => checkI64((a[0] as bigint) < 0n ? -(a[0] as bigint) : (a[0] as bigint))) });
  register('abs', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).abs()) });
  register('abs', { args: ['real'], ret: 'real', impl: strict((a) => Math.abs(a[0] as number)) });
  register('abs', { args: ['double precision'], ret: 'double precision', impl: strict((a) => Math.abs(a[0] as number)) });
}

/** Round half to even for float8 (C rint), half away from zero for numeric, like PG. */
function rint(x: number): number {
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

export function registerRounding(): void {
  const f8: DataType = 'double precision';
  register('round', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).round(0)) });
  register('round', { args: [f8], ret: f8, impl: strict((a) => rint(a[0] as number)) });
  register('round', { args: ['numeric', 'integer'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).round(a[1] as number)) });
  register('trunc', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).trunc(0)) });
  register('trunc', { args: [f8], ret: f8, impl: strict((a) => Math.trunc(a[0] as number)) });
  register('trunc', { args: ['numeric', 'integer'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).trunc(a[1] as number)) });
  for (const name of ['ceil', 'ceiling']) {
    register(name, { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).ceil()) });
    register(name, { args: [f8], ret: f8, impl: strict((a) => Math.ceil(a[0] as number)) });
  }
  register('floor', { args: ['numeric'], ret: 'numeric', impl: strict((a) => (a[0] as Decimal).floor()) });
  register('floor', { args: [f8], ret: f8, impl: strict((a) => Math.floor(a[0] as number)) });
}
