import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { Decimal } from '../types/decimal.ts';
import { parseNumberFormat, type NumDesc, type NumNode } from './to-char-number-format.ts';

/**
 * to_char of integers, numeric and double precision: PostgreSQL 15's NUM_processor and
 * NUM_numpart_to_char, C locale.
 *
 * 1. The value is rounded to the picture's fractional digits (double precision: to at most 15
 *    significant digits, printf-style half-even) and split into sign and digits; too many integer
 *    digits print as `#`.
 * 2. The picture is walked: each digit position writes a blank (or `0` from the first `0` on) while
 *    the number has not started, then the digits; the sign goes just before the first digit (or
 *    where `S`/`MI`/`PL`/`SG`/`PR` say); `,` is a blank before the first digit; `FM` drops blanks
 *    and trailing fractional zeros that no `0` asks for.
 */
interface Proc {
  d: NumDesc;
  sign: '+' | '-';
  number: string;
  numberP: number;
  lastRelevant: number | null;
  signWrote: boolean;
  numIn: boolean;
  numCurr: number;
  numCount: number;
  outPreSpaces: number;
  out: string;
}

/** Index of the last non-zero digit after the point (or the point itself), null without a point. */
function lastRelevantDigit(num: string): number | null {
  const p = num.indexOf('.');
  if (p < 0) return null;
  let result = p;
  for (let i = p + 1; i < num.length; i++) if (num[i] !== '0') result = i;
  return result;
}

function predecSpace(s: Proc): boolean {
  return !s.d.zero && s.numberP === 0 && s.number[0] === '0' && s.d.post !== 0;
}

function writeSign(s: Proc): void {
  const d = s.d;
  if (s.signWrote) return;
  if (!(s.numCurr >= s.outPreSpaces || (d.zero && d.zeroStart === s.numCurr))) return;
  if (predecSpace(s) && !(s.lastRelevant !== null && s.number[s.lastRelevant] === '.')) return;
  if (d.lsign !== 'none') {
    if (d.lsign === 'pre') {
      s.out += s.sign;
      s.signWrote = true;
    }
  } else if (d.bracket) {
    s.out += s.sign === '+' ? ' ' : '<';
    s.signWrote = true;
  } else if (s.sign === '+') {
    if (!d.fillMode) s.out += ' ';
    s.signWrote = true;
  } else {
    s.out += '-';
    s.signWrote = true;
  }
}

function writeDigit(s: Proc, key: string): void {
  const d = s.d;
  if (s.numCurr < s.outPreSpaces && (d.zeroStart > s.numCurr || !d.zero)) {
    if (!d.fillMode) s.out += ' ';
  } else if (d.zero && s.numCurr < s.outPreSpaces && d.zeroStart <= s.numCurr) {
    s.out += '0';
    s.numIn = true;
  } else {
    const ch = s.number[s.numberP];
    const lastIsPoint = s.lastRelevant !== null && s.number[s.lastRelevant] === '.';
    if (ch === '.') {
      if (!lastIsPoint || d.fillMode) s.out += '.';
    } else if (s.lastRelevant !== null && s.numberP > s.lastRelevant && key !== '0') {
      // FM: a trailing fractional zero nobody asked for
    } else if (predecSpace(s)) {
      if (!d.fillMode) s.out += ' ';
      else if (lastIsPoint) s.out += '0';
    } else {
      s.out += ch ?? '';
      s.numIn = true;
    }
    if (s.numberP < s.number.length) s.numberP++;
  }
  let end = s.numCount + (s.outPreSpaces ? 1 : 0) + (d.decimal ? 1 : 0);
  if (s.lastRelevant !== null && s.lastRelevant === s.numberP) end = s.numCurr;
  if (s.numCurr + 1 === end) {
    if (s.signWrote && d.bracket) s.out += s.sign === '+' ? ' ' : '>';
    else if (d.lsign === 'post') s.out += s.sign;
  }
}

/** NUM_numpart_to_char: one digit / point / S / PR position. */
function numPart(s: Proc, key: string): void {
  s.numIn = false;
  writeSign(s);
  if (key === '9' || key === '0' || key === 'D' || key === '.') writeDigit(s, key);
  s.numCurr++;
}

function ordinalSuffix(num: string, upper: boolean): string {
  const last = num[num.length - 1];
  if (last === undefined || last < '0' || last > '9') {
    throw new DbError(SqlState.InvalidTextRepresentation, `"${num}" is not a number`);
  }
  const teen = num.length > 1 && num[num.length - 2] === '1';
  const sfx = teen ? 'th' : last === '1' ? 'st' : last === '2' ? 'nd' : last === '3' ? 'rd' : 'th';
  return upper ? sfx.toUpperCase() : sfx;
}

function run(nodes: NumNode[], d: NumDesc, sign: '+' | '-', number: string, outPreSpaces: number): string {
  if (d.zeroStart) d.zeroStart--;
  const s: Proc = { d, sign, number, numberP: 0, lastRelevant: null, signWrote: false, numIn: false, numCurr: 0, numCount: 0, outPreSpaces, out: '' };
  if (d.plus || d.minus) s.signWrote = !(d.plus && !d.minus);
  else {
    if (sign !== '-' && d.fillMode) d.bracket = false;
    s.signWrote = sign === '+' && d.fillMode && d.lsign === 'none';
    if (d.lsign === 'pre' && d.pre === d.preLsignNum) d.lsign = 'post';
  }
  s.numCount = d.post + d.pre - 1;
  if (d.fillMode && d.decimal) {
    s.lastRelevant = lastRelevantDigit(number);
    if (s.lastRelevant !== null && d.zeroEnd > outPreSpaces) {
      const lastZero = Math.min(number.length - 1, d.zeroEnd - outPreSpaces);
      if (s.lastRelevant < lastZero) s.lastRelevant = lastZero;
    }
  }
  if (!s.signWrote && outPreSpaces === 0) s.numCount++;
  for (const n of nodes) {
    if (n.kind === 'literal') {
      s.out += n.text;
      continue;
    }
    switch (n.key) {
      case '9': case '0': case '.': case 'D': case 'PR':
        numPart(s, n.key);
        break;
      case 'S':
        // Not a position: the digit positions write the sign where `lsign` says.
        break;
      case ',': case 'G':
        if (s.numIn) s.out += ',';
        else if (!d.fillMode) s.out += ' ';
        break;
      case 'TH': case 'th':
        if (number[0] !== '#' && sign !== '-' && !d.decimal) s.out += ordinalSuffix(number, n.key === 'TH');
        break;
      case 'MI':
        if (sign === '-') s.out += '-';
        else if (!d.fillMode) s.out += ' ';
        break;
      case 'PL':
        if (sign === '+') s.out += '+';
        else if (!d.fillMode) s.out += ' ';
        break;
      case 'SG':
        s.out += sign;
        break;
      default:
        break;
    }
  }
  return s.out;
}

/** Digits (`123.40`), too-wide integer parts as `###.##`, and the padding before them. */
function layout(d: NumDesc, digits: string): { number: string; outPreSpaces: number } {
  const p = digits.indexOf('.');
  const preLen = p < 0 ? digits.length : p;
  if (preLen < d.pre) return { number: digits, outPreSpaces: d.pre - preLen };
  if (preLen > d.pre) return { number: '#'.repeat(d.pre) + '.' + '#'.repeat(d.post), outPreSpaces: 0 };
  return { number: digits, outPreSpaces: 0 };
}

/** `EEEE` of a NaN or infinity: ` ##.##e+##` shaped. */
function eeeeOverflow(d: NumDesc): string {
  return ' ' + '#'.repeat(d.pre) + '.' + '#'.repeat(d.post + 4);
}

/** PG numeric_out_sci of a finite value: the significand rounded half away from zero, the exponent of the input. */
function decimalSci(v: Decimal, post: number): string {
  const digits = (v.mantissa < 0n ? -v.mantissa : v.mantissa).toString();
  const exponent = v.mantissa === 0n ? 0 : digits.length - 1 - v.scale;
  const sig = Decimal.of(v.mantissa, v.scale + exponent).round(post).toString();
  const exp = `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return (sig.startsWith('-') ? '' : ' ') + sig + exp;
}

/** C's `%+.*e` with the leading `+` as a blank. */
function floatSci(v: number, d: NumDesc): string {
  if (!Number.isFinite(v)) return eeeeOverflow(d);
  const abs = Math.abs(v);
  let s = abs.toExponential(d.post);
  const exact = abs.toExponential(Math.min(100, d.post + 40));
  const [mant] = exact.split('e');
  const rest = mant.replace('.', '').slice(d.post + 1);
  if (/^50*$/.test(rest)) {
    const keep = mant.replace('.', '').slice(0, d.post + 1);
    if (Number(keep[keep.length - 1]) % 2 === 0) s = (keep.length > 1 ? keep[0] + '.' + keep.slice(1) : keep) + 'e' + exact.split('e')[1];
  }
  const [m, e] = s.split('e');
  const en = Number(e);
  return (v < 0 || Object.is(v, -0) ? '-' : ' ') + m + `e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
}

/** to_char(integer | bigint, fmt). */
export function toCharInteger(value: bigint, fmt: string): string {
  const { nodes, desc } = parseNumberFormat(fmt);
  if (desc.eeee) return decimalSci(Decimal.fromBigInt(value), desc.post);
  if (desc.isMulti) {
    value *= 10n ** BigInt(desc.multi);
    desc.pre += desc.multi;
  }
  const sign = value < 0n ? '-' : '+';
  let digits = (value < 0n ? -value : value).toString();
  if (desc.post > 0) digits += '.' + '0'.repeat(desc.post);
  const { number, outPreSpaces } = layout(desc, digits);
  return run(nodes, desc, sign, number, outPreSpaces);
}

/** to_char(numeric, fmt): rounded half away from zero to the picture's fractional digits. */
export function toCharNumeric(value: Decimal, fmt: string): string {
  const { nodes, desc } = parseNumberFormat(fmt);
  if (desc.eeee) return value.isFinite() ? decimalSci(value, desc.post) : eeeeOverflow(desc);
  let v = value;
  if (desc.isMulti) {
    v = v.mul(Decimal.fromBigInt(10n ** BigInt(desc.multi)));
    desc.pre += desc.multi;
  }
  const text = v.round(desc.post).toString();
  const sign = text.startsWith('-') ? '-' : '+';
  const { number, outPreSpaces } = layout(desc, sign === '-' ? text.slice(1) : text);
  return run(nodes, desc, sign, number, outPreSpaces);
}

/** PG's own `%.*f` (src/port/snprintf.c): the exact binary value rounded half to even; `NaN`, `Infinity`. */
export function cFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  if (abs >= 1e21) return (neg ? '-' : '') + BigInt(abs).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  let s = abs.toFixed(digits);
  const exact = abs.toFixed(Math.min(100, digits + 40));
  const cut = exact.indexOf('.') + (digits > 0 ? digits + 1 : 0);
  const rest = exact.slice(cut + (digits > 0 ? 0 : 1));
  if (/^50*$/.test(rest)) {
    const truncated = exact.slice(0, digits > 0 ? cut : exact.indexOf('.'));
    if (Number(truncated[truncated.length - 1]) % 2 === 0) s = truncated;
  }
  return (neg ? '-' : '') + s;
}

/** to_char(double precision | real, fmt): at most `significant` digits (15; 6 for real), like PG. */
export function toCharFloat(value: number, fmt: string, significant = 15): string {
  const { nodes, desc } = parseNumberFormat(fmt);
  if (desc.eeee) return floatSci(value, desc);
  let v = value;
  if (desc.isMulti) {
    // real multiplies in single precision (12.345::real V99 is 1234.5, printed 1234).
    v = significant === 6 ? Math.fround(v * Math.fround(10 ** desc.multi)) : v * 10 ** desc.multi;
    desc.pre += desc.multi;
  }
  const preLen = cFixed(Math.abs(v), 0).length;
  if (preLen >= significant) desc.post = 0;
  else if (preLen + desc.post > significant) desc.post = significant - preLen;
  const text = cFixed(v, desc.post);
  const sign = text.startsWith('-') ? '-' : '+';
  const { number, outPreSpaces } = layout(desc, sign === '-' ? text.slice(1) : text);
  return run(nodes, desc, sign, number, outPreSpaces);
}
