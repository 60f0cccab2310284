/**
 * The format-picture parser of to_char (PostgreSQL formatting.c parse_format, DCH flavour): the
 * longest keyword of the table at each position, case-sensitively as PG lists them (`MONTH`,
 * `Month`, `month`; `hh24` = `HH24`), an `FM`/`TM` prefix and `TH`/`th`/`SP` postfix around a
 * keyword, `"literal text"` with `\"` inside, and `\"` outside quotes. Everything else is copied.
 */
export type FormatNode =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; key: string; fm: boolean; tm: boolean; th: 'TH' | 'th' | null };

/** [text in the picture, field id], in PG's lookup order (longer keywords first per letter). */
const KEYWORDS: readonly (readonly [string, string])[] = [
  ['A.D.', 'A.D.'], ['A.M.', 'A.M.'], ['AD', 'AD'], ['AM', 'AM'], ['B.C.', 'B.C.'], ['BC', 'BC'], ['CC', 'CC'],
  ['DAY', 'DAY'], ['DDD', 'DDD'], ['DD', 'DD'], ['DY', 'DY'], ['Day', 'Day'], ['Dy', 'Dy'], ['D', 'D'],
  ['FF1', 'FF1'], ['FF2', 'FF2'], ['FF3', 'FF3'], ['FF4', 'FF4'], ['FF5', 'FF5'], ['FF6', 'FF6'], ['FX', 'FX'],
  ['HH24', 'HH24'], ['HH12', 'HH12'], ['HH', 'HH'], ['IDDD', 'IDDD'], ['ID', 'ID'], ['IW', 'IW'], ['IYYY', 'IYYY'],
  ['IYY', 'IYY'], ['IY', 'IY'], ['I', 'I'], ['J', 'J'], ['MI', 'MI'], ['MM', 'MM'], ['MONTH', 'MONTH'], ['MON', 'MON'],
  ['MS', 'MS'], ['Month', 'Month'], ['Mon', 'Mon'], ['OF', 'OF'], ['P.M.', 'P.M.'], ['PM', 'PM'], ['Q', 'Q'],
  ['RM', 'RM'], ['SSSSS', 'SSSS'], ['SSSS', 'SSSS'], ['SS', 'SS'], ['TZH', 'TZH'], ['TZM', 'TZM'], ['TZ', 'TZ'],
  ['US', 'US'], ['WW', 'WW'], ['W', 'W'], ['Y,YYY', 'Y,YYY'], ['YYYY', 'YYYY'], ['YYY', 'YYY'], ['YY', 'YY'], ['Y', 'Y'],
  ['a.d.', 'a.d.'], ['a.m.', 'a.m.'], ['ad', 'ad'], ['am', 'am'], ['b.c.', 'b.c.'], ['bc', 'bc'], ['cc', 'CC'],
  ['day', 'day'], ['ddd', 'DDD'], ['dd', 'DD'], ['dy', 'dy'], ['d', 'D'],
  ['ff1', 'FF1'], ['ff2', 'FF2'], ['ff3', 'FF3'], ['ff4', 'FF4'], ['ff5', 'FF5'], ['ff6', 'FF6'], ['fx', 'FX'],
  ['hh24', 'HH24'], ['hh12', 'HH12'], ['hh', 'HH'], ['iddd', 'IDDD'], ['id', 'ID'], ['iw', 'IW'], ['iyyy', 'IYYY'],
  ['iyy', 'IYY'], ['iy', 'IY'], ['i', 'I'], ['j', 'J'], ['mi', 'MI'], ['mm', 'MM'], ['month', 'month'], ['mon', 'mon'],
  ['ms', 'MS'], ['of', 'OF'], ['p.m.', 'p.m.'], ['pm', 'pm'], ['q', 'Q'], ['rm', 'rm'], ['sssss', 'SSSS'],
  ['ssss', 'SSSS'], ['ss', 'SS'], ['tzh', 'TZH'], ['tzm', 'TZM'], ['tz', 'tz'], ['us', 'US'], ['ww', 'WW'], ['w', 'W'],
  ['y,yyy', 'Y,YYY'], ['yyyy', 'YYYY'], ['yyy', 'YYY'], ['yy', 'YY'], ['y', 'Y'],
];

const cache = new Map<string, FormatNode[]>();

function keywordAt(fmt: string, i: number): readonly [string, string] | undefined {
  for (const k of KEYWORDS) if (fmt.startsWith(k[0], i)) return k;
  return undefined;
}

/** Parses a datetime picture (cached: the picture is nearly always a constant). */
export function parseDateTimeFormat(fmt: string): FormatNode[] {
  const hit = cache.get(fmt);
  if (hit) return hit;
  const nodes: FormatNode[] = [];
  let i = 0;
  while (i < fmt.length) {
    let fm = false;
    let tm = false;
    const prefix = fmt.slice(i, i + 2);
    if (prefix === 'FM' || prefix === 'fm') fm = true;
    if (prefix === 'TM' || prefix === 'tm') tm = true;
    if (fm || tm) i += 2;
    const k = i < fmt.length ? keywordAt(fmt, i) : undefined;
    if (k !== undefined) {
      i += k[0].length;
      const post = fmt.slice(i, i + 2);
      let th: 'TH' | 'th' | null = null;
      if (post === 'TH' || post === 'th') th = post;
      if (th !== null || post === 'SP') i += 2;
      nodes.push({ kind: 'field', key: k[1], fm, tm, th });
    } else if (i < fmt.length && fmt[i] === '"') {
      i++;
      while (i < fmt.length) {
        if (fmt[i] === '"') {
          i++;
          break;
        }
        if (fmt[i] === '\\' && i + 1 < fmt.length) i++;
        const cp = fmt.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        nodes.push({ kind: 'literal', text: ch });
        i += ch.length;
      }
    } else if (i < fmt.length) {
      if (fmt[i] === '\\' && fmt[i + 1] === '"') i++;
      const ch = String.fromCodePoint(fmt.codePointAt(i)!);
      nodes.push({ kind: 'literal', text: ch });
      i += ch.length;
    }
  }
  if (cache.size < 256) cache.set(fmt, nodes);
  return nodes;
}
