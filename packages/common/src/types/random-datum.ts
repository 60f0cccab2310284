import type { DataType } from './data-type.ts';
import type { Datum } from './datum.ts';
import { Decimal } from './decimal.ts';
import { Interval } from './interval.ts';

/**
 * Seeded random datums for property tests (not exported from the package index). Values are
 * biased towards edge cases: zero, extremes, ties, NaN/Infinity, NUL bytes and astral characters.
 */
export class RandomDatums {
  private state: number;

  constructor(seed = 42) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32 in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  datum(type: DataType, nullRate = 0.1): Datum {
    if (this.next() < nullRate) return null;
    switch (type) {
      case 'boolean': return this.next() < 0.5;
      case 'smallint': return this.pick([-32768, 32767, 0, -1, 1, this.int(-32768, 32767), this.int(-5, 5)]);
      case 'integer': return this.pick([-2147483648, 2147483647, 0, -1, this.int(-2147483648, 2147483647), this.int(-5, 5)]);
      case 'date': return this.pick([0, -1, this.int(-800000, 800000), this.int(-5, 5)]);
      case 'bigint':
      case 'time without time zone':
      case 'timestamp without time zone':
      case 'timestamp with time zone': {
        if (type === 'time without time zone') return BigInt(this.int(0, 86_400_000)) * 1000n + BigInt(this.int(0, 999));
        return this.pick([-(1n << 63n), (1n << 63n) - 1n, 0n, -1n, BigInt(this.int(-5, 5)),
          BigInt(this.int(-2147483648, 2147483647)) * BigInt(this.int(-2147483648, 2147483647))]);
      }
      case 'real': return Math.fround(this.float());
      case 'double precision': return this.float();
      case 'numeric': return this.decimal();
      case 'character varying':
      case 'jsonb': return this.string();
      case 'bytea': return Uint8Array.from({ length: this.int(0, 6) }, () => this.pick([0, 1, 255, this.int(0, 255)]));
      case 'interval': return new Interval(this.int(-30, 30), this.int(-40, 40), BigInt(this.int(-1e9, 1e9)) * BigInt(this.int(0, 100)));
    }
  }

  float(): number {
    return this.pick([0, -0, NaN, Infinity, -Infinity, 1, -1, 1.5, this.int(-10, 10),
      (this.next() - 0.5) * 10 ** this.int(-30, 30), Number.MIN_VALUE, -Number.MAX_VALUE]);
  }

  decimal(): Decimal {
    const special = this.next();
    if (special < 0.03) return Decimal.NAN;
    if (special < 0.06) return Decimal.INFINITY;
    if (special < 0.09) return Decimal.NEG_INFINITY;
    const digits = this.int(1, 25);
    let m = 0n;
    for (let i = 0; i < digits; i++) m = m * 10n + BigInt(this.pick([0, 0, 9, this.int(0, 9)]));
    if (this.next() < 0.5) m = -m;
    return Decimal.of(m, this.int(0, 12));
  }

  string(): string {
    const n = this.int(0, 5);
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(['a', 'b', '\u0000', '\u00ff', '\uffff', '\u{1f600}', 'é', 'z', '\u0001']);
    return s;
  }
}
