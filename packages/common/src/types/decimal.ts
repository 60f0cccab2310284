import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';

/**
 * PostgreSQL `numeric`: an immutable exact decimal, value = mantissa × 10^-scale, where `scale` is
 * PG's display scale (dscale: the number of fractional digits printed). Also NaN and ±Infinity
 * (PG 14+). Equal values may have different scales (`1.0` = `1.00`); `compare` ignores scale.
 *
 * Result scales follow numeric.c: add/sub max(dscale), mul dscale1 + dscale2, div
 * `select_div_scale` (at least 16 significant digits, at least both input dscales, at most 1000).
 */
export type DecimalKind = 'finite' | 'nan' | 'inf' | '-inf';

const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;
const NBASE_DIGITS = 4;

const POW10_CACHE: bigint[] = [];
/** 10^n as a bigint (cached for small n). */
export function pow10(n: number): bigint {
  if (n < 64) {
    let p = POW10_CACHE[n];
    if (p === undefined) POW10_CACHE[n] = p = 10n ** BigInt(n);
    return p;
  }
  return 10n ** BigInt(n);
}

function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** Rounds n / d (d > 0 or < 0) to an integer, half away from zero. */
function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  if (absBig(r) * 2n >= absBig(d)) return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
  return q;
}

function invalidNumeric(text: string): DbError {
  return new DbError(SqlState.InvalidTextRepresentation, `invalid input syntax for type numeric: "${text}"`);
}

const NUMERIC_RE = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

export class Decimal {
  private constructor(
    /** Unscaled value; 0n for the special kinds. */
    readonly mantissa: bigint,
    /** Display scale (>= 0); 0 for the special kinds. */
    readonly scale: number,
    readonly kind: DecimalKind = 'finite',
  ) {}

  static readonly ZERO = new Decimal(0n, 0);
  static readonly NAN = new Decimal(0n, 0, 'nan');
  static readonly INFINITY = new Decimal(0n, 0, 'inf');
  static readonly NEG_INFINITY = new Decimal(0n, 0, '-inf');

  /** mantissa × 10^-scale; a negative scale multiplies the mantissa out. */
  static of(mantissa: bigint, scale: number): Decimal {
    if (scale < 0) return new Decimal(mantissa * pow10(-scale), 0);
    return new Decimal(mantissa, scale);
  }

  static fromBigInt(v: bigint): Decimal {
    return new Decimal(v, 0);
  }

  /**
   * A JS number converted like PG's float8 -> numeric cast: `%.*g` with `significantDigits`
   * (15 = DBL_DIG for double; pass 6 = FLT_DIG for real).
   */
  static fromNumber(v: number, significantDigits = 15): Decimal {
    if (Number.isNaN(v)) return Decimal.NAN;
    if (v === Infinity) return Decimal.INFINITY;
    if (v === -Infinity) return Decimal.NEG_INFINITY;
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER && Math.abs(v) < 10 ** significantDigits) {
      return new Decimal(BigInt(v), 0);
    }
    // %g strips trailing zeros, so the scale is the minimal one.
    return Decimal.parse(v.toPrecision(significantDigits)).normalize();
  }

  /** PostgreSQL numeric input syntax (leading/trailing spaces, sign, exponent, NaN, Infinity). */
  static parse(text: string): Decimal {
    const s = text.trim();
    const m = NUMERIC_RE.exec(s);
    if (m === null) {
      const lower = s.toLowerCase();
      if (lower === 'nan') return Decimal.NAN;
      if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return Decimal.INFINITY;
      if (lower === '-infinity' || lower === '-inf') return Decimal.NEG_INFINITY;
      throw invalidNumeric(text);
    }
    const intPart = m[2] ?? '';
    const fracPart = m[3] ?? m[4] ?? '';
    let exp = 0;
    if (m[5] !== undefined) {
      exp = Number(m[5]);
      if (!Number.isFinite(exp) || Math.abs(exp) > 1_000_000) throw invalidNumeric(text);
    }
    let mantissa = BigInt(intPart + fracPart || '0');
    if (m[1] === '-') mantissa = -mantissa;
    let scale = fracPart.length - exp;
    if (scale < 0) {
      mantissa *= pow10(-scale);
      scale = 0;
    }
    if (scale > MAX_DISPLAY_SCALE) throw new DbError(SqlState.NumericValueOutOfRange, 'value overflows numeric format');
    return new Decimal(mantissa, scale);
  }

  isNaN(): boolean {
    return this.kind === 'nan';
  }

  isFinite(): boolean {
    return this.kind === 'finite';
  }

  /** -1, 0 or 1 (NaN -> 0 is never asked: callers check kind first). */
  sign(): number {
    if (this.kind === 'inf') return 1;
    if (this.kind === '-inf') return -1;
    return this.mantissa > 0n ? 1 : this.mantissa < 0n ? -1 : 0;
  }

  /** The mantissa expressed at a larger scale. */
  private at(scale: number): bigint {
    return scale === this.scale ? this.mantissa : this.mantissa * pow10(scale - this.scale);
  }

  add(o: Decimal): Decimal {
    if (this.kind !== 'finite' || o.kind !== 'finite') return specialAdd(this, o);
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.at(s) + o.at(s), s);
  }

  sub(o: Decimal): Decimal {
    return this.add(o.neg());
  }

  mul(o: Decimal): Decimal {
    if (this.kind !== 'finite' || o.kind !== 'finite') return specialMul(this, o);
    const s = this.scale + o.scale;
    if (s > MAX_DISPLAY_SCALE) {
      return new Decimal(divRoundHalfAway(this.mantissa * o.mantissa, pow10(s - MAX_DISPLAY_SCALE)), MAX_DISPLAY_SCALE);
    }
    return new Decimal(this.mantissa * o.mantissa, s);
  }

  /** Division with PG's result scale (`select_div_scale`), rounded half away from zero. */
  div(o: Decimal): Decimal {
    if (this.kind !== 'finite' || o.kind !== 'finite') return specialDiv(this, o);
    if (o.mantissa === 0n) throw divisionByZero();
    const rscale = selectDivScale(this, o);
    // this / o = (m1 / 10^s1) / (m2 / 10^s2); result mantissa at rscale = m1 * 10^(s2 + r) / (m2 * 10^s1).
    const n = this.mantissa * pow10(o.scale + rscale);
    const d = o.mantissa * pow10(this.scale);
    return new Decimal(divRoundHalfAway(n, d), rscale);
  }

  /** Truncating integer division (PG `div(a, b)`), scale 0. */
  divTrunc(o: Decimal): Decimal {
    if (this.kind !== 'finite' || o.kind !== 'finite') return Decimal.NAN;
    if (o.mantissa === 0n) throw divisionByZero();
    return new Decimal((this.mantissa * pow10(o.scale)) / (o.mantissa * pow10(this.scale)), 0);
  }

  /** PG `%`: sign of the dividend, scale max(dscale). */
  mod(o: Decimal): Decimal {
    if (this.kind === 'nan' || o.kind === 'nan') return Decimal.NAN;
    if (o.kind === 'finite' && o.mantissa === 0n) throw divisionByZero();
    if (this.kind !== 'finite') return Decimal.NAN;
    if (o.kind !== 'finite') return this;
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.at(s) % o.at(s), s);
  }

  neg(): Decimal {
    if (this.kind === 'inf') return Decimal.NEG_INFINITY;
    if (this.kind === '-inf') return Decimal.INFINITY;
    if (this.kind === 'nan') return this;
    return new Decimal(-this.mantissa, this.scale);
  }

  abs(): Decimal {
    if (this.kind === '-inf') return Decimal.INFINITY;
    return this.mantissa < 0n ? new Decimal(-this.mantissa, this.scale) : this;
  }

  /** Total order: -Infinity < numbers < Infinity < NaN (NaN = NaN), scale ignored. */
  compare(o: Decimal): number {
    const ra = KIND_RANK[this.kind];
    const rb = KIND_RANK[o.kind];
    if (ra !== 1 || rb !== 1) return ra < rb ? -1 : ra > rb ? 1 : 0;
    if (this.scale === o.scale) return this.mantissa < o.mantissa ? -1 : this.mantissa > o.mantissa ? 1 : 0;
    const s = Math.max(this.scale, o.scale);
    const a = this.at(s);
    const b = o.at(s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Decimal): boolean {
    return this.compare(o) === 0;
  }

  /** PG `round(numeric, scale)`: half away from zero; negative scale rounds left of the point. */
  round(scale = 0): Decimal {
    if (this.kind !== 'finite') return this;
    scale = Math.min(scale, MAX_DISPLAY_SCALE);
    const outScale = Math.max(scale, 0);
    if (scale >= this.scale) return new Decimal(this.at(outScale), outScale);
    const q = divRoundHalfAway(this.mantissa, pow10(this.scale - scale));
    return scale >= 0 ? new Decimal(q, scale) : new Decimal(q * pow10(-scale), 0);
  }

  /** PG `trunc(numeric, scale)`. */
  trunc(scale = 0): Decimal {
    if (this.kind !== 'finite') return this;
    const outScale = Math.max(scale, 0);
    if (scale >= this.scale) return new Decimal(this.at(outScale), outScale);
    const q = this.mantissa / pow10(this.scale - scale);
    return scale >= 0 ? new Decimal(q, scale) : new Decimal(q * pow10(-scale), 0);
  }

  floor(): Decimal {
    if (this.kind !== 'finite') return this;
    const d = pow10(this.scale);
    let q = this.mantissa / d;
    if (this.mantissa < 0n && q * d !== this.mantissa) q -= 1n;
    return new Decimal(q, 0);
  }

  ceil(): Decimal {
    if (this.kind !== 'finite') return this;
    const d = pow10(this.scale);
    let q = this.mantissa / d;
    if (this.mantissa > 0n && q * d !== this.mantissa) q += 1n;
    return new Decimal(q, 0);
  }

  /** The same value with trailing fractional zeros removed (minimal scale). */
  normalize(): Decimal {
    if (this.kind !== 'finite' || this.scale === 0) return this;
    let m = this.mantissa;
    let s = this.scale;
    if (m === 0n) return Decimal.ZERO;
    while (s > 0 && m % 10n === 0n) {
      m /= 10n;
      s--;
    }
    return s === this.scale ? this : new Decimal(m, s);
  }

  /** PG text output: exactly `scale` fractional digits. */
  toString(): string {
    if (this.kind === 'nan') return 'NaN';
    if (this.kind === 'inf') return 'Infinity';
    if (this.kind === '-inf') return '-Infinity';
    const neg = this.mantissa < 0n;
    let digits = (neg ? -this.mantissa : this.mantissa).toString();
    if (this.scale === 0) return neg ? '-' + digits : digits;
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const point = digits.length - this.scale;
    return (neg ? '-' : '') + digits.slice(0, point) + '.' + digits.slice(point);
  }

  toJSON(): string {
    return this.toString();
  }

  toNumber(): number {
    if (this.kind === 'nan') return NaN;
    if (this.kind === 'inf') return Infinity;
    if (this.kind === '-inf') return -Infinity;
    if (this.scale === 0 && absBig(this.mantissa) <= 9007199254740991n) return Number(this.mantissa);
    return Number(this.toString());
  }

  /** Integer part, truncated toward zero (callers reject non-finite values first). */
  toBigIntTrunc(): bigint {
    if (this.kind !== 'finite') throw new DbError(SqlState.FeatureNotSupported, `cannot convert ${this.toString()} to integer`);
    return this.scale === 0 ? this.mantissa : this.mantissa / pow10(this.scale);
  }

  /** Integer rounded half away from zero (PG numeric -> int casts). */
  toBigIntRound(): bigint {
    if (this.kind !== 'finite') throw new DbError(SqlState.FeatureNotSupported, `cannot convert ${this.toString()} to integer`);
    return this.scale === 0 ? this.mantissa : divRoundHalfAway(this.mantissa, pow10(this.scale));
  }
}

const KIND_RANK: Record<DecimalKind, number> = { '-inf': 0, finite: 1, inf: 2, nan: 3 };

function divisionByZero(): DbError {
  return new DbError(SqlState.DivisionByZero, 'division by zero');
}

/**
 * PG numeric.c select_div_scale. Weights and first digits are in base NBASE = 10000 with groups
 * aligned on the decimal point, as PG stores them.
 */
function selectDivScale(a: Decimal, b: Decimal): number {
  const [w1, f1] = nbaseWeightAndFirstDigit(a);
  const [w2, f2] = nbaseWeightAndFirstDigit(b);
  let qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  let rscale = MIN_SIG_DIGITS - qweight * NBASE_DIGITS;
  rscale = Math.max(rscale, a.scale, b.scale, 0);
  return Math.min(rscale, MAX_DISPLAY_SCALE);
}

function nbaseWeightAndFirstDigit(d: Decimal): [number, number] {
  const m = absBig(d.mantissa);
  if (m === 0n) return [0, 0];
  // Power of ten of the leading decimal digit.
  const e = m.toString().length - 1 - d.scale;
  const weight = Math.floor(e / NBASE_DIGITS);
  const shift = d.scale + weight * NBASE_DIGITS;
  const first = shift >= 0 ? m / pow10(shift) : m * pow10(-shift);
  return [weight, Number(first)];
}

function specialAdd(a: Decimal, b: Decimal): Decimal {
  if (a.kind === 'nan' || b.kind === 'nan') return Decimal.NAN;
  if (a.kind === 'finite') return b;
  if (b.kind === 'finite') return a;
  return a.kind === b.kind ? a : Decimal.NAN;
}

function specialMul(a: Decimal, b: Decimal): Decimal {
  if (a.kind === 'nan' || b.kind === 'nan') return Decimal.NAN;
  const s = a.sign() * b.sign();
  if (s === 0) return Decimal.NAN; // inf * 0
  return s > 0 ? Decimal.INFINITY : Decimal.NEG_INFINITY;
}

function specialDiv(a: Decimal, b: Decimal): Decimal {
  if (a.kind === 'nan' || b.kind === 'nan') return Decimal.NAN;
  if (b.kind === 'finite') {
    if (b.mantissa === 0n) throw divisionByZero();
    return a.sign() * b.sign() > 0 ? Decimal.INFINITY : Decimal.NEG_INFINITY;
  }
  if (a.kind !== 'finite') return Decimal.NAN; // inf / inf
  return Decimal.ZERO;
}
