import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { isoWeek, isoYear, isoYearDay, julianDay, type CalendarFields } from '../types/calendar-fields.ts';
import { parseDateTimeFormat, type FormatNode } from './to-char-format.ts';

/**
 * to_char of a timestamp, timestamptz or interval: PostgreSQL's DCH_to_char, one picture field
 * at a time, with its `%0*d` widths (a negative value gets one more column), `FM` (no padding),
 * `TH`/`th` ordinal suffixes, English names (TM too: PG's C locale) and BC years printed positive.
 */
export interface ToCharInput {
  fields: CalendarFields;
  /** Intervals: no calendar names, hours beyond 24, year and CC without the BC adjustment. */
  isInterval: boolean;
  /** Seconds east of UTC (0 for timestamp without time zone). */
  gmtoff: number;
  /** The zone abbreviation (`EST`), null when there is none (timestamp without time zone). */
  zoneName: string | null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const RM = ['XII', 'XI', 'X', 'IX', 'VIII', 'VII', 'VI', 'V', 'IV', 'III', 'II', 'I'];

/** C's `%0*d`. */
function zpad(v: number, width: number): string {
  const s = String(Math.abs(v));
  const sign = v < 0 ? '-' : '';
  return sign + s.padStart(Math.max(0, width - sign.length), '0');
}

/** Width 2 (3 when negative) unless FM. */
function num2(v: number, fm: boolean): string {
  return zpad(v, fm ? 0 : v >= 0 ? 2 : 3);
}

/** PG get_th: 1st, 2nd, 3rd, 11th-13th, ...; 22P02 when the text does not end in a digit. */
function ordinal(text: string, th: 'TH' | 'th'): string {
  const last = text[text.length - 1];
  if (last === undefined || last < '0' || last > '9') {
    throw new DbError(SqlState.InvalidTextRepresentation, `"${text}" is not a number`);
  }
  const teen = text.length > 1 && text[text.length - 2] === '1';
  const suffix = teen ? 'th' : last === '1' ? 'st' : last === '2' ? 'nd' : last === '3' ? 'rd' : 'th';
  return text + (th === 'TH' ? suffix.toUpperCase() : suffix);
}

function invalidForInterval(): DbError {
  return new DbError(SqlState.InvalidDatetimeFormat, 'invalid format specification for an interval value', {
    hint: 'Intervals are not tied to specific calendar dates.',
  });
}

/** Names: `%-9s` unless FM/TM, cased like the keyword. */
function name(text: string, key: string, n: FormatNode & { kind: 'field' }, padTo: number): string {
  const cased = key === key.toUpperCase() ? text.toUpperCase() : key === key.toLowerCase() ? text.toLowerCase() : text;
  return n.fm || n.tm ? cased : cased.padEnd(padTo, ' ');
}

const NO_INTERVAL = new Set(['tz', 'TZ', 'TZH', 'TZM', 'OF', 'A.D.', 'B.C.', 'AD', 'BC', 'a.d.', 'b.c.', 'ad', 'bc',
  'MONTH', 'Month', 'month', 'MON', 'Mon', 'mon', 'DAY', 'Day', 'day', 'DY', 'Dy', 'dy', 'D', 'ID']);

/** Fields whose number takes a TH/th suffix. */
const NUMERIC = new Set(['HH', 'HH12', 'HH24', 'MI', 'SS', 'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'MS', 'US', 'SSSS',
  'DDD', 'IDDD', 'DD', 'D', 'ID', 'WW', 'IW', 'Q', 'CC', 'Y,YYY', 'YYYY', 'IYYY', 'YYY', 'IYY', 'YY', 'IY', 'Y', 'I', 'W', 'J']);

export function toCharDateTime(input: ToCharInput, fmt: string): string {
  let out = '';
  for (const n of parseDateTimeFormat(fmt)) {
    if (n.kind === 'literal') {
      out += n.text;
      continue;
    }
    if (input.isInterval && NO_INTERVAL.has(n.key)) throw invalidForInterval();
    const text = renderField(n, input);
    out += n.th !== null && NUMERIC.has(n.key) && text !== '' ? ordinal(text, n.th) : text;
  }
  return out;
}

function renderField(n: FormatNode & { kind: 'field' }, input: ToCharInput): string {
  const f = input.fields;
  const fm = n.fm;
  const adjYear = (y: number): number => (input.isInterval ? y : y <= 0 ? -(y - 1) : y);
  const isoY = (): number => adjYear(isoYear(f.year, f.month, f.day));
  const pm = f.hour % 24 >= 12;
  const bc = f.year <= 0;
  switch (n.key) {
    case 'A.M.': case 'P.M.': return pm ? 'P.M.' : 'A.M.';
    case 'AM': case 'PM': return pm ? 'PM' : 'AM';
    case 'a.m.': case 'p.m.': return pm ? 'p.m.' : 'a.m.';
    case 'am': case 'pm': return pm ? 'pm' : 'am';
    case 'HH': case 'HH12': {
      const h = f.hour % 12;
      return zpad(h === 0 ? 12 : h, fm ? 0 : f.hour >= 0 ? 2 : 3);
    }
    case 'HH24': return num2(f.hour, fm);
    case 'MI': return num2(f.minute, fm);
    case 'SS': return num2(f.second, fm);
    case 'FF1': return zpad(Math.trunc(f.fsec / 100000), 1);
    case 'FF2': return zpad(Math.trunc(f.fsec / 10000), 2);
    case 'FF3': case 'MS': return zpad(Math.trunc(f.fsec / 1000), 3);
    case 'FF4': return zpad(Math.trunc(f.fsec / 100), 4);
    case 'FF5': return zpad(Math.trunc(f.fsec / 10), 5);
    case 'FF6': case 'US': return zpad(f.fsec, 6);
    case 'SSSS': return String(f.hour * 3600 + f.minute * 60 + f.second);
    case 'tz': return (input.zoneName ?? '').toLowerCase();
    case 'TZ': return input.zoneName ?? '';
    case 'TZH': return (input.gmtoff >= 0 ? '+' : '-') + zpad(Math.trunc(Math.abs(input.gmtoff) / 3600), 2);
    case 'TZM': return zpad(Math.trunc((Math.abs(input.gmtoff) % 3600) / 60), 2);
    case 'OF': {
      const abs = Math.abs(input.gmtoff);
      let s = (input.gmtoff >= 0 ? '+' : '-') + zpad(Math.trunc(abs / 3600), fm ? 0 : 2);
      if (abs % 3600 !== 0) s += ':' + zpad(Math.trunc((abs % 3600) / 60), 2);
      return s;
    }
    case 'A.D.': case 'B.C.': return bc ? 'B.C.' : 'A.D.';
    case 'AD': case 'BC': return bc ? 'BC' : 'AD';
    case 'a.d.': case 'b.c.': return bc ? 'b.c.' : 'a.d.';
    case 'ad': case 'bc': return bc ? 'bc' : 'ad';
    case 'MONTH': case 'Month': case 'month': return f.month === 0 ? '' : name(MONTHS[f.month - 1], n.key, n, 9);
    case 'MON': case 'Mon': case 'mon': return f.month === 0 ? '' : name(MONTHS[f.month - 1].slice(0, 3), n.key, n, 0);
    case 'MM': return num2(f.month, fm);
    case 'DAY': case 'Day': case 'day': return name(DAYS[f.wday], n.key, n, 9);
    case 'DY': case 'Dy': case 'dy': return name(DAYS[f.wday].slice(0, 3), n.key, n, 0);
    case 'DDD': return zpad(f.yday, fm ? 0 : 3);
    case 'IDDD': return zpad(isoYearDay(f.year, f.month, f.day), fm ? 0 : 3);
    case 'DD': return zpad(f.day, fm ? 0 : 2);
    case 'D': return String(f.wday + 1);
    case 'ID': return String(f.wday === 0 ? 7 : f.wday);
    case 'WW': return zpad(Math.trunc((f.yday - 1) / 7) + 1, fm ? 0 : 2);
    case 'IW': return zpad(isoWeek(f.year, f.month, f.day), fm ? 0 : 2);
    case 'Q': return f.month === 0 ? '' : String(Math.trunc((f.month - 1) / 3) + 1);
    case 'CC': {
      const i = input.isInterval ? Math.trunc(f.year / 100) : f.year > 0 ? Math.trunc((f.year - 1) / 100) + 1 : Math.trunc(f.year / 100) - 1;
      return i <= 99 && i >= -99 ? zpad(i, fm ? 0 : i >= 0 ? 2 : 3) : String(i);
    }
    case 'Y,YYY': {
      const y = adjYear(f.year);
      const i = Math.trunc(y / 1000);
      return `${i},${zpad(y - i * 1000, 3)}`;
    }
    case 'YYYY': case 'IYYY': {
      const y = adjYear(f.year);
      return zpad(n.key === 'YYYY' ? y : isoY(), fm ? 0 : y >= 0 ? 4 : 5);
    }
    case 'YYY': case 'IYY': {
      const y = adjYear(f.year);
      return zpad((n.key === 'YYY' ? y : isoY()) % 1000, fm ? 0 : y >= 0 ? 3 : 4);
    }
    case 'YY': case 'IY': {
      const y = adjYear(f.year);
      return zpad((n.key === 'YY' ? y : isoY()) % 100, fm ? 0 : y >= 0 ? 2 : 3);
    }
    case 'Y': case 'I': return zpad((n.key === 'Y' ? adjYear(f.year) : isoY()) % 10, 1);
    case 'RM': case 'rm': {
      if (f.month === 0 && f.year === 0) return '';
      const idx = f.month === 0 ? (f.year >= 0 ? 0 : 11) : f.month < 0 ? -(f.month + 1) : 12 - f.month;
      const s = n.key === 'RM' ? RM[idx] : RM[idx].toLowerCase();
      return fm ? s : s.padEnd(4, ' ');
    }
    case 'W': return String(Math.trunc((f.day - 1) / 7) + 1);
    case 'J': return String(julianDay(f.year, f.month, f.day));
    default: return ''; // FX
  }
}
