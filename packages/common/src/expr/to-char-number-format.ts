import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';

/**
 * The picture of to_char(number, fmt), parsed like PostgreSQL's NUM_cache / NUMDesc_prepare:
 * digit counts before and after the decimal point, where the first and last `0` are, how the sign
 * is shown (`S` before or after the digits, `MI`, `PL`, `SG`, `PR` brackets), `FM`, `V`.
 * `EEEE` prints scientific notation and ignores the rest of the picture, as PG does. `RN`, `L`,
 * `B`, `C` are not implemented (0A000).
 */
export type NumKey = ',' | '.' | '0' | '9' | 'D' | 'FM' | 'G' | 'MI' | 'PL' | 'PR' | 'SG' | 'SP' | 'S' | 'TH' | 'th' | 'V'
  | 'B' | 'C' | 'EEEE' | 'L' | 'RN' | 'rn';

export type NumNode = { kind: 'literal'; text: string } | { kind: 'key'; key: NumKey };

export interface NumDesc {
  pre: number;
  post: number;
  /** Where an `S` puts the sign. */
  lsign: 'none' | 'pre' | 'post';
  preLsignNum: number;
  decimal: boolean;
  /** The point is `D` (locale decimal; `.` here) rather than `.`. */
  localeDecimal: boolean;
  zero: boolean;
  /** 1-based position (among the `pre` digits) of the first `0`; the processor makes it 0-based. */
  zeroStart: number;
  zeroEnd: number;
  fillMode: boolean;
  minus: boolean;
  plus: boolean;
  bracket: boolean;
  multi: number;
  isMulti: boolean;
  eeee: boolean;
}

/** [text, key] in PG's table order (first match wins among keywords of the same first letter). */
const KEYWORDS: readonly (readonly [string, NumKey])[] = [
  [',', ','], ['.', '.'], ['0', '0'], ['9', '9'], ['B', 'B'], ['C', 'C'], ['D', 'D'], ['EEEE', 'EEEE'], ['FM', 'FM'],
  ['G', 'G'], ['L', 'L'], ['MI', 'MI'], ['PL', 'PL'], ['PR', 'PR'], ['RN', 'RN'], ['SG', 'SG'], ['SP', 'SP'], ['S', 'S'],
  ['TH', 'TH'], ['V', 'V'], ['b', 'B'], ['c', 'C'], ['d', 'D'], ['eeee', 'EEEE'], ['fm', 'FM'], ['g', 'G'], ['l', 'L'],
  ['mi', 'MI'], ['pl', 'PL'], ['pr', 'PR'], ['rn', 'rn'], ['sg', 'SG'], ['sp', 'SP'], ['s', 'S'], ['th', 'th'], ['v', 'V'],
];

function syntax(message: string): DbError {
  return new DbError(SqlState.SyntaxError, message);
}

function prepare(d: NumDesc, key: NumKey): void {
  const signFlag = d.lsign !== 'none';
  if (d.eeee && key !== 'EEEE') throw syntax('"EEEE" must be the last pattern used');
  switch (key) {
    case '9':
      if (d.bracket) throw syntax('"9" must be ahead of "PR"');
      if (d.isMulti) d.multi++;
      else if (d.decimal) d.post++;
      else d.pre++;
      return;
    case '0':
      if (d.bracket) throw syntax('"0" must be ahead of "PR"');
      if (!d.zero && !d.decimal) {
        d.zero = true;
        d.zeroStart = d.pre + 1;
      }
      if (!d.decimal) d.pre++;
      else d.post++;
      d.zeroEnd = d.pre + d.post;
      return;
    case 'D': case '.':
      if (d.decimal) throw syntax('multiple decimal points');
      if (d.isMulti) throw syntax('cannot use "V" and decimal point together');
      d.decimal = true;
      d.localeDecimal = key === 'D';
      return;
    case 'FM': d.fillMode = true; return;
    case 'S':
      if (signFlag) throw syntax('cannot use "S" twice');
      if (d.plus || d.minus || d.bracket) throw syntax('cannot use "S" and "PL"/"MI"/"SG"/"PR" together');
      if (!d.decimal) {
        d.lsign = 'pre';
        d.preLsignNum = d.pre;
      } else d.lsign = 'post';
      return;
    case 'MI': case 'PL': case 'SG':
      if (signFlag) throw syntax(`cannot use "S" and "${key}" together`);
      if (key !== 'PL') d.minus = true;
      if (key !== 'MI') d.plus = true;
      return;
    case 'PR':
      if (signFlag || d.plus || d.minus) throw syntax('cannot use "PR" and "S"/"PL"/"MI"/"SG" together');
      d.bracket = true;
      return;
    case 'V':
      if (d.decimal) throw syntax('cannot use "V" and decimal point together');
      d.isMulti = true;
      return;
    case 'EEEE':
      if (d.eeee) throw syntax('cannot use "EEEE" twice');
      if (d.fillMode || signFlag || d.bracket || d.minus || d.plus || d.isMulti) {
        throw new DbError(SqlState.SyntaxError, '"EEEE" is incompatible with other formats', {
          detail: '"EEEE" may only be used together with digit and decimal point patterns.',
        });
      }
      d.eeee = true;
      return;
    case 'B': case 'C': case 'L': case 'RN': case 'rn':
      throw new DbError(SqlState.FeatureNotSupported, `to_char pattern "${key}" is not supported for numbers`);
    default:
      return;
  }
}

/** Parses a number picture into nodes and its description (fresh objects: the processor mutates). */
export function parseNumberFormat(fmt: string): { nodes: NumNode[]; desc: NumDesc } {
  const desc: NumDesc = {
    pre: 0, post: 0, lsign: 'none', preLsignNum: 0, decimal: false, localeDecimal: false, zero: false,
    zeroStart: 0, zeroEnd: 0, fillMode: false, minus: false, plus: false, bracket: false, multi: 0, isMulti: false,
    eeee: false,
  };
  const nodes: NumNode[] = [];
  let i = 0;
  while (i < fmt.length) {
    const k = KEYWORDS.find(([text]) => fmt.startsWith(text, i));
    if (k !== undefined) {
      prepare(desc, k[1]);
      nodes.push({ kind: 'key', key: k[1] });
      i += k[0].length;
    } else if (fmt[i] === '"') {
      i++;
      while (i < fmt.length && fmt[i] !== '"') {
        if (fmt[i] === '\\' && i + 1 < fmt.length) i++;
        const ch = String.fromCodePoint(fmt.codePointAt(i)!);
        nodes.push({ kind: 'literal', text: ch });
        i += ch.length;
      }
      i++;
    } else {
      if (fmt[i] === '\\' && fmt[i + 1] === '"') i++;
      const ch = String.fromCodePoint(fmt.codePointAt(i)!);
      nodes.push({ kind: 'literal', text: ch });
      i += ch.length;
    }
  }
  return { nodes, desc };
}
