import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';

export const MICROS_PER_SECOND = 1_000_000n;
export const MICROS_PER_MINUTE = 60n * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60n * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24n * MICROS_PER_HOUR;

/**
 * PostgreSQL `interval`: months, days and microseconds kept apart (a month is not a fixed number of
 * days). Ordering and equality use the total span with 30-day months and 24-hour days, like PG.
 */
export class Interval {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly micros: bigint,
  ) {}

  static readonly ZERO = new Interval(0, 0, 0n);

  static fromMicros(micros: bigint): Interval {
    return new Interval(0, 0, micros);
  }

  /** Total span in microseconds (30-day months, 24-hour days). */
  span(): bigint {
    return (BigInt(this.months) * 30n + BigInt(this.days)) * MICROS_PER_DAY + this.micros;
  }

  compare(o: Interval): number {
    const a = this.span();
    const b = o.span();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Interval): boolean {
    return this.compare(o) === 0;
  }

  add(o: Interval): Interval {
    return new Interval(this.months + o.months, this.days + o.days, this.micros + o.micros);
  }

  sub(o: Interval): Interval {
    return new Interval(this.months - o.months, this.days - o.days, this.micros - o.micros);
  }

  neg(): Interval {
    return new Interval(-this.months, -this.days, -this.micros);
  }

  /** PG interval_mul: fractional months spill into days, fractional days into time. */
  mulFloat(f: number): Interval {
    if (!Number.isFinite(f)) throw new DbError(SqlState.NumericValueOutOfRange, 'interval out of range');
    const m = this.months * f;
    const months = Math.trunc(m);
    const d = this.days * f + (m - months) * 30;
    const days = Math.trunc(d);
    const micros = Math.round(Number(this.micros) * f + (d - days) * 86_400_000_000);
    return new Interval(months, days, BigInt(micros));
  }

  /** PG's default IntervalStyle `postgres` output, e.g. `1 year 2 mons 3 days 04:05:06.5`. */
  toString(): string {
    const years = Math.trunc(this.months / 12);
    const mons = this.months % 12;
    const st = { out: '', isZero: true, isBefore: false };
    addPart(st, years, 'year');
    addPart(st, mons, 'mon');
    addPart(st, this.days, 'day');
    const micros = this.micros;
    if (st.isZero || micros !== 0n) {
      const neg = micros < 0n;
      const abs = neg ? -micros : micros;
      const hours = abs / MICROS_PER_HOUR;
      const mins = (abs / MICROS_PER_MINUTE) % 60n;
      const secs = (abs / MICROS_PER_SECOND) % 60n;
      const frac = abs % MICROS_PER_SECOND;
      st.out += (st.isZero ? '' : ' ') + (neg ? '-' : st.isBefore ? '+' : '') + pad2(hours) + ':' + pad2(mins) + ':' + pad2(secs) + formatFraction(frac);
    }
    return st.out;
  }

  toJSON(): string {
    return `${this.months}:${this.days}:${this.micros}`;
  }

  /** Inverse of toJSON. */
  static fromJSON(s: string): Interval {
    const [m, d, u] = s.split(':');
    return new Interval(Number(m), Number(d), BigInt(u));
  }

  /** PG interval input: `1 day 2 hours`, `01:02:03`, `1 year 2 mons`, `@ 1 day ago`, `P1Y2M3DT4H5M6S`. */
  static parse(text: string): Interval {
    return parseInterval(text);
  }
}

function addPart(st: { out: string; isZero: boolean; isBefore: boolean }, value: number, unit: string): void {
  if (value === 0) return;
  st.out += (st.isZero ? '' : ' ') + (st.isBefore && value > 0 ? '+' : '') + value + ' ' + unit + (value !== 1 ? 's' : '');
  st.isBefore = value < 0;
  st.isZero = false;
}

function pad2(n: bigint | number): string {
  const s = n.toString();
  return s.length < 2 ? '0' + s : s;
}

/** `.ffffff` with trailing zeros trimmed, or '' when zero. */
export function formatFraction(frac: bigint | number): string {
  if (frac === 0n || frac === 0) return '';
  let s = frac.toString().padStart(6, '0');
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  s = s.slice(0, end);
  return '.' + s;
}

function invalidInterval(text: string): DbError {
  return new DbError(SqlState.InvalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
}

type Unit = 'us' | 'ms' | 's' | 'min' | 'h' | 'd' | 'w' | 'mon' | 'y' | 'decade' | 'century' | 'millennium';

const UNITS: Record<string, Unit> = {
  microsecond: 'us', microseconds: 'us', us: 'us', usec: 'us', usecs: 'us', useconds: 'us', microsecon: 'us',
  millisecond: 'ms', milliseconds: 'ms', ms: 'ms', msec: 'ms', msecs: 'ms', mseconds: 'ms', millisecon: 'ms',
  second: 's', seconds: 's', s: 's', sec: 's', secs: 's',
  minute: 'min', minutes: 'min', m: 'min', min: 'min', mins: 'min',
  hour: 'h', hours: 'h', h: 'h', hr: 'h', hrs: 'h',
  day: 'd', days: 'd', d: 'd',
  week: 'w', weeks: 'w', w: 'w',
  month: 'mon', months: 'mon', mon: 'mon', mons: 'mon',
  year: 'y', years: 'y', y: 'y', yr: 'y', yrs: 'y',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  century: 'century', centuries: 'century', c: 'century', cent: 'century',
  millennium: 'millennium', millennia: 'millennium', millenniums: 'millennium', mil: 'millennium', mils: 'millennium',
};

/** Accumulates fractional fields the way PG's DecodeInterval does (months -> days -> micros). */
class IntervalAcc {
  months = 0;
  days = 0;
  micros = 0n;
  private fracMicros = 0;

  addMonths(v: number): void {
    const whole = Math.trunc(v);
    this.months += whole;
    this.addDays((v - whole) * 30);
  }

  addDays(v: number): void {
    const whole = Math.trunc(v);
    this.days += whole;
    this.addMicros((v - whole) * 86_400_000_000);
  }

  addMicros(v: number): void {
    const whole = Math.trunc(v);
    this.micros += BigInt(whole);
    this.fracMicros += v - whole;
  }

  addExactMicros(v: bigint): void {
    this.micros += v;
  }

  result(negate: boolean): Interval {
    const micros = this.micros + BigInt(Math.round(this.fracMicros));
    const iv = new Interval(this.months, this.days, micros);
    return negate ? iv.neg() : iv;
  }
}

const TIME_RE = /^([+-])?(\d+):(\d+)(?::(\d+)(?:\.(\d*))?)?$/;
const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

function parseInterval(text: string): Interval {
  let s = text.trim().toLowerCase();
  if (s.length === 0) throw invalidInterval(text);
  if (s.startsWith('p')) return parseIso(text, s);
  if (s.startsWith('@')) s = s.slice(1).trim();
  const tokens = s.split(/\s+/);
  let negate = false;
  if (tokens.length > 0 && tokens[tokens.length - 1] === 'ago') {
    negate = true;
    tokens.pop();
  }
  if (tokens.length === 0) throw invalidInterval(text);
  const acc = new IntervalAcc();
  // Numbers may be glued to units: '1day', '5min'.
  const expanded: string[] = [];
  for (const t of tokens) {
    const m = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-z]+)$/.exec(t);
    if (m !== null) expanded.push(m[1], m[2]);
    else expanded.push(t);
  }
  for (let i = 0; i < expanded.length; i++) {
    const tok = expanded[i];
    const tm = TIME_RE.exec(tok);
    if (tm !== null) {
      acc.addExactMicros(parseTimeField(tm, text));
      continue;
    }
    if (!NUM_RE.test(tok)) throw invalidInterval(text);
    const value = Number(tok);
    const next = expanded[i + 1];
    const unit = next !== undefined ? UNITS[next] : undefined;
    if (unit === undefined) {
      // A bare number means seconds (only valid as the last token).
      if (next !== undefined) throw invalidInterval(text);
      acc.addMicros(value * 1e6);
      continue;
    }
    i++;
    addUnit(acc, value, unit);
  }
  return acc.result(negate);
}

function parseTimeField(tm: RegExpExecArray, text: string): bigint {
  const neg = tm[1] === '-';
  const h = BigInt(tm[2]);
  const mi = BigInt(tm[3]);
  const sec = tm[4] !== undefined ? BigInt(tm[4]) : 0n;
  if (mi > 59n || sec > 59n) throw new DbError(SqlState.DatetimeFieldOverflow, `interval field value out of range: "${text}"`);
  const frac = tm[5] ? BigInt(Math.round(Number('0.' + tm[5]) * 1e6)) : 0n;
  const v = h * MICROS_PER_HOUR + mi * MICROS_PER_MINUTE + sec * MICROS_PER_SECOND + frac;
  return neg ? -v : v;
}

function addUnit(acc: IntervalAcc, v: number, unit: Unit): void {
  switch (unit) {
    case 'us': return acc.addMicros(v);
    case 'ms': return acc.addMicros(v * 1e3);
    case 's': return acc.addMicros(v * 1e6);
    case 'min': return acc.addMicros(v * 60e6);
    case 'h': return acc.addMicros(v * 3600e6);
    case 'd': return acc.addDays(v);
    case 'w': return acc.addDays(v * 7);
    case 'mon': return acc.addMonths(v);
    case 'y': return acc.addMonths(v * 12);
    case 'decade': return acc.addMonths(v * 120);
    case 'century': return acc.addMonths(v * 1200);
    case 'millennium': return acc.addMonths(v * 12000);
  }
}

/** ISO 8601 format with designators: P[nY][nM][nW][nD][T[nH][nM][nS]]. */
function parseIso(text: string, s: string): Interval {
  const m = /^p(?:([-+]?[\d.]+)y)?(?:([-+]?[\d.]+)m)?(?:([-+]?[\d.]+)w)?(?:([-+]?[\d.]+)d)?(?:t(?:([-+]?[\d.]+)h)?(?:([-+]?[\d.]+)m)?(?:([-+]?[\d.]+)s)?)?$/.exec(s);
  if (m === null || s === 'p' || s.endsWith('t')) throw invalidInterval(text);
  const acc = new IntervalAcc();
  const units: Unit[] = ['y', 'mon', 'w', 'd', 'h', 'min', 's'];
  for (let i = 0; i < units.length; i++) {
    const g = m[i + 1];
    if (g === undefined) continue;
    const v = Number(g);
    if (!Number.isFinite(v)) throw invalidInterval(text);
    addUnit(acc, v, units[i]);
  }
  return acc.result(false);
}
