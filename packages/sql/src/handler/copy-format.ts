import { StringDecoder } from 'node:string_decoder';
import { DbError, SqlState, notSupported } from '@tributary/common';

/** COPY's text / CSV format options, with PostgreSQL's defaults. */
export interface CopyFormat {
  csv: boolean;
  delimiter: string;
  /** The string that stands for NULL (`\N` in text, empty in CSV). */
  nullString: string;
  header: boolean;
  quote: string;
  escape: string;
}

const bad = (message: string): DbError => new DbError(SqlState.SyntaxError, message);

/** Validates COPY options (`format`, `delimiter`, `null`, `header`, `quote`, `escape`). */
export function copyFormatOf(options: ReadonlyMap<string, string>): CopyFormat {
  const format = (options.get('format') ?? 'text').toLowerCase();
  if (format === 'binary') throw notSupported('COPY BINARY');
  if (format !== 'text' && format !== 'csv') throw bad(`COPY format "${format}" not recognized`);
  for (const name of options.keys()) {
    if (!['format', 'delimiter', 'null', 'header', 'quote', 'escape', 'encoding'].includes(name)) throw bad(`option "${name}" not recognized`);
  }
  const csv = format === 'csv';
  const delimiter = options.get('delimiter') ?? (csv ? ',' : '\t');
  if (delimiter.length !== 1) throw bad('COPY delimiter must be a single one-byte character');
  const header = ['true', 'on', '1', 'match'].includes((options.get('header') ?? 'false').toLowerCase());
  const quote = options.get('quote') ?? '"';
  const escape = options.get('escape') ?? quote;
  if (!csv && (options.has('quote') || options.has('escape'))) throw bad('COPY quote and escape are available only in CSV mode');
  return { csv, delimiter, nullString: options.get('null') ?? (csv ? '' : '\\N'), header, quote, escape };
}

const TEXT_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Cuts COPY FROM data into rows of fields (null = SQL NULL). Feed payloads with `push`, then call
 * `end`. Text format: one row per line, fields split on the delimiter, backslash escapes, `\.`
 * ends the data. CSV: quoted fields may hold delimiters, quotes (doubled) and newlines; an
 * unquoted field equal to the NULL string is NULL.
 */
export class CopyParser {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private ended = false;
  private skipHeader: boolean;
  /** 1-based line number of the next row, for error messages. */
  line = 1;

  constructor(private readonly format: CopyFormat) {
    this.skipHeader = format.header;
  }

  push(chunk: Buffer): (string | null)[][] {
    this.pending += this.decoder.write(chunk);
    return this.drain(false);
  }

  end(): (string | null)[][] {
    this.pending += this.decoder.end();
    return this.drain(true);
  }

  private drain(final: boolean): (string | null)[][] {
    const rows: (string | null)[][] = [];
    const s = this.pending;
    let pos = 0;
    while (!this.ended) {
      const cut = this.format.csv ? this.csvRecordEnd(s, pos) : s.indexOf('\n', pos);
      if (cut < 0 && !(final && pos < s.length)) break;
      const end = cut < 0 ? s.length : cut;
      let record = s.slice(pos, end);
      pos = Math.min(s.length, end + 1);
      if (record.endsWith('\r')) record = record.slice(0, -1);
      if (record === '\\.') {
        this.ended = true;
        break;
      }
      this.line++;
      if (this.skipHeader) {
        this.skipHeader = false;
        continue;
      }
      rows.push(this.format.csv ? this.csvFields(record) : this.textFields(record));
    }
    this.pending = this.ended ? '' : s.slice(pos);
    return rows;
  }

  /** Index of the newline ending the CSV record that starts at `from` (outside quotes), or -1. */
  private csvRecordEnd(s: string, from: number): number {
    const { quote, escape } = this.format;
    let inQuotes = false;
    for (let i = from; i < s.length; i++) {
      const c = s[i];
      if (inQuotes) {
        if (c === escape && escape !== quote && s[i + 1] === quote) i++;
        else if (c === quote) {
          if (s[i + 1] === quote && escape === quote) i++;
          else inQuotes = false;
        }
      } else if (c === quote) inQuotes = true;
      else if (c === '\n') return i;
    }
    return -1;
  }

  private csvFields(record: string): (string | null)[] {
    const { quote, escape, delimiter, nullString } = this.format;
    const fields: (string | null)[] = [];
    let value = '';
    let quoted = false;
    let inQuotes = false;
    for (let i = 0; i <= record.length; i++) {
      const c = record[i];
      if (i === record.length || (!inQuotes && c === delimiter)) {
        fields.push(!quoted && value === nullString ? null : value);
        value = '';
        quoted = false;
        continue;
      }
      if (inQuotes) {
        if (c === escape && (record[i + 1] === quote || (escape !== quote && record[i + 1] === escape))) {
          value += record[++i];
        } else if (c === quote) inQuotes = false;
        else value += c;
      } else if (c === quote) {
        inQuotes = true;
        quoted = true;
      } else value += c;
    }
    if (inQuotes) throw new DbError(SqlState.BadCopyFileFormat, 'unterminated CSV quoted field');
    return fields;
  }

  private textFields(record: string): (string | null)[] {
    const { delimiter, nullString } = this.format;
    const fields: (string | null)[] = [];
    let raw = '';
    let value = '';
    for (let i = 0; i <= record.length; i++) {
      const c = record[i];
      if (i === record.length || c === delimiter) {
        fields.push(raw === nullString ? null : value);
        raw = '';
        value = '';
        continue;
      }
      if (c !== '\\' || i + 1 >= record.length) {
        raw += c;
        value += c;
        continue;
      }
      const n = record[++i];
      raw += c + n;
      if (TEXT_ESCAPES[n]) value += TEXT_ESCAPES[n];
      else if (/[0-7]/.test(n)) {
        let digits = n;
        while (digits.length < 3 && /[0-7]/.test(record[i + 1] ?? '')) digits += record[++i];
        raw += digits.slice(1);
        value += String.fromCharCode(parseInt(digits, 8));
      } else if (n === 'x' && /[0-9a-fA-F]/.test(record[i + 1] ?? '')) {
        let digits = record[++i];
        if (/[0-9a-fA-F]/.test(record[i + 1] ?? '')) digits += record[++i];
        raw += `x${digits}`;
        value += String.fromCharCode(parseInt(digits, 16));
      } else value += n;
    }
    return fields;
  }
}

/** One COPY TO line (with its '\n') for a row of text values. */
export function formatCopyLine(values: readonly (string | null)[], format: CopyFormat): string {
  return `${values.map((v) => (format.csv ? csvField(v, format) : textField(v, format))).join(format.delimiter)}\n`;
}

function textField(v: string | null, format: CopyFormat): string {
  if (v === null) return format.nullString;
  let out = '';
  for (const c of v) {
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === format.delimiter) out += `\\${c}`;
    else out += c;
  }
  return out;
}

function csvField(v: string | null, format: CopyFormat): string {
  if (v === null) return format.nullString;
  const { quote, escape, delimiter } = format;
  const needsQuotes = v === format.nullString || v.includes(delimiter) || v.includes(quote) || v.includes('\n') || v.includes('\r')
    || (v.length > 0 && (v[0] === ' ' || v[v.length - 1] === ' ')) || v === '\\.';
  if (!needsQuotes) return v;
  let out = quote;
  for (const c of v) {
    if (c === quote || c === escape) out += escape;
    out += c;
  }
  return out + quote;
}
