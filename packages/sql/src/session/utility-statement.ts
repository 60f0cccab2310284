import { identifierOf, keywordOf, tokenize, type Token } from '../parser/sql-scanner.ts';
import { TokenCursor } from '../parser/token-cursor.ts';
import { ParseError } from '../parser/parse-error.ts';

/** Options of COPY, lower-cased names; values as written (quotes removed). */
export type CopyOptions = Map<string, string>;

/**
 * Session-level statements the session parses itself (pgsql-ast-parser lacks or mangles them):
 * settings, transaction control, COPY and users/privileges.
 */
export type UtilityStatement =
  | { kind: 'set'; name: string; value: string | null /* null = DEFAULT */; local: boolean }
  | { kind: 'reset'; name: string /* 'all' resets everything */ }
  | { kind: 'begin'; readOnly: boolean }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'copy_from'; table: string; columns: string[] | null; options: CopyOptions }
  | { kind: 'copy_to'; table: string | null; columns: string[] | null; query: string | null; options: CopyOptions }
  | { kind: 'create_user'; name: string; password: string | null; superuser: boolean | null }
  | { kind: 'alter_user'; name: string; password: string | null; superuser: boolean | null }
  | { kind: 'drop_user'; names: string[]; ifExists: boolean }
  | { kind: 'grant'; revoke: boolean; privileges: string[]; tables: string[]; users: string[] };

const SETTING_ALIASES: Record<string, string> = { 'time zone': 'timezone', names: 'client_encoding' };

/** The utility statement `sql` is, or undefined when it is none of them. Throws ParseError (42601). */
export function parseUtility(sql: string): UtilityStatement | undefined {
  const tokens = tokenize(sql);
  const cur = new TokenCursor(sql, tokens);
  const first = keywordOf(cur.peek());
  switch (first) {
    case 'set': return parseSet(cur);
    case 'reset': {
      cur.skip();
      const name = cur.accept('all') ? 'all' : settingName(cur);
      cur.expectEnd();
      return { kind: 'reset', name };
    }
    case 'begin':
    case 'start': {
      cur.skip();
      if (first === 'start') cur.expect('transaction');
      else cur.accept('transaction') || cur.accept('work');
      let readOnly = false;
      while (!cur.done && !cur.acceptPunct(';')) {
        if (cur.accept('read', 'only')) readOnly = true;
        else cur.skip(); // READ WRITE, ISOLATION LEVEL ..., DEFERRABLE, commas
      }
      return { kind: 'begin', readOnly };
    }
    case 'commit':
    case 'end':
      cur.skip();
      cur.accept('transaction') || cur.accept('work');
      cur.expectEnd();
      return { kind: 'commit' };
    case 'rollback':
    case 'abort':
      cur.skip();
      cur.accept('transaction') || cur.accept('work');
      cur.expectEnd();
      return { kind: 'rollback' };
    case 'copy': return parseCopy(cur, sql);
    case 'create':
    case 'alter':
      if (keywordOf(cur.peek(1)) !== 'user' && keywordOf(cur.peek(1)) !== 'role') return undefined;
      cur.skip();
      cur.skip();
      return parseUserOptions(cur, first === 'create' ? 'create_user' : 'alter_user');
    case 'drop': {
      if (keywordOf(cur.peek(1)) !== 'user' && keywordOf(cur.peek(1)) !== 'role') return undefined;
      cur.skip();
      cur.skip();
      const ifExists = cur.accept('if', 'exists');
      const names = identList(cur);
      cur.expectEnd();
      return { kind: 'drop_user', names, ifExists };
    }
    case 'grant':
    case 'revoke': return parseGrant(cur, first === 'revoke');
    default: return undefined;
  }
}

function settingName(cur: TokenCursor): string {
  if (cur.accept('time', 'zone')) return 'timezone';
  if (cur.accept('transaction', 'isolation', 'level')) return 'transaction_isolation';
  if (cur.accept('session', 'authorization')) return 'session_authorization';
  const name = cur.qualifiedName().toLowerCase();
  return SETTING_ALIASES[name] ?? name;
}

/** `SET [SESSION|LOCAL] name {TO|=} value[, ...] | DEFAULT`, `SET TIME ZONE v`, `SET NAMES v`. */
function parseSet(cur: TokenCursor): UtilityStatement {
  cur.skip();
  let local = false;
  if (cur.accept('local')) local = true;
  else cur.accept('session');
  if (cur.accept('transaction') || cur.accept('characteristics')) {
    while (!cur.done) cur.skip();
    return { kind: 'set', name: 'transaction', value: '', local };
  }
  let name: string;
  if (cur.accept('time', 'zone')) {
    const numeric = isoZoneHours(cur);
    if (numeric !== null) return { kind: 'set', name: 'timezone', value: posixOfIsoHours(numeric), local };
    name = 'timezone';
  } else if (cur.accept('names')) name = 'client_encoding';
  else {
    name = settingName(cur);
    if (!cur.accept('to') && !cur.acceptPunct('=')) throw cur.error();
  }
  if (cur.accept('default') || cur.accept('local')) {
    cur.expectEnd();
    return { kind: 'set', name, value: null, local };
  }
  const parts: string[] = [];
  for (;;) {
    const tok = cur.peek();
    if (!tok) throw cur.error();
    // A signed number (`SET extra_float_digits = -3`) is one value.
    const sign = tok.kind === 'punct' && (tok.text === '-' || tok.text === '+') && cur.peek(1)?.kind === 'number' ? tok.text : '';
    if (sign) cur.skip();
    parts.push((sign === '-' ? '-' : '') + valueText(cur.peek()!));
    cur.skip();
    if (cur.peek()?.kind === 'word' && parts.length > 0 && /^\d/.test(parts[parts.length - 1])) {
      parts[parts.length - 1] += ` ${valueText(cur.peek()!)}`; // `5 s`-like units
      cur.skip();
    }
    if (!cur.acceptPunct(',')) break;
  }
  cur.expectEnd();
  return { kind: 'set', name, value: parts.join(', '), local };
}

/**
 * `SET TIME ZONE -7` / `+5.5` / `INTERVAL '+02:00' HOUR TO MINUTE`: hours EAST of UTC (ISO sign,
 * unlike a zone string); null when the value is not one of these forms.
 */
function isoZoneHours(cur: TokenCursor): number | null {
  if (cur.accept('interval')) {
    const tok = cur.peek();
    if (tok?.kind !== 'string') throw cur.error();
    cur.skip();
    while (cur.accept('hour') || cur.accept('to') || cur.accept('minute'));
    cur.expectEnd();
    const m = /^\s*([+-])?(\d{1,2})(?::(\d{2}))?\s*$/.exec(unquote(tok.text));
    if (!m) throw cur.error();
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) + Number(m[3] ?? 0) / 60);
  }
  let sign = 1;
  const first = cur.peek();
  const signed = first?.kind === 'punct' && (first.text === '-' || first.text === '+') && cur.peek(1)?.kind === 'number';
  if (signed) sign = first!.text === '-' ? -1 : 1;
  const num = cur.peek(signed ? 1 : 0);
  if (num?.kind !== 'number') return null;
  if (signed) cur.skip();
  cur.skip();
  cur.expectEnd();
  return sign * Number(num.text);
}

/** PostgreSQL's spelling of a numeric zone: -7 -> `<-07>+07` (a POSIX spec: name, offset west). */
function posixOfIsoHours(hours: number): string {
  const fmt = (h: number): string => {
    const abs = Math.abs(h);
    const mm = Math.round((abs % 1) * 60);
    return `${h < 0 ? '-' : '+'}${String(Math.floor(abs)).padStart(2, '0')}${mm ? `:${String(mm).padStart(2, '0')}` : ''}`;
  };
  return `<${fmt(hours)}>${fmt(-hours)}`;
}

/** A setting value token as text: strings unquoted, identifiers folded, numbers and signs as written. */
function valueText(tok: Token): string {
  switch (tok.kind) {
    case 'string': return unquote(tok.text);
    case 'word': return tok.text.toLowerCase() === 'on' || tok.text.toLowerCase() === 'off' ? tok.text.toLowerCase() : identifierOf(tok);
    case 'quoted_ident': return identifierOf(tok);
    default: return tok.text;
  }
}

/** A string literal's value: `'it''s'`, `E'a\nb'` (common escapes). */
export function unquote(text: string): string {
  if (/^[eE]'/.test(text)) {
    return text.slice(2, -1).replace(/''/g, "'").replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
  }
  return text.slice(1, -1).replace(/''/g, "'");
}

function identList(cur: TokenCursor): string[] {
  const names = [cur.qualifiedName()];
  while (cur.acceptPunct(',')) names.push(cur.qualifiedName());
  return names;
}

function stringLiteral(cur: TokenCursor): string {
  const tok = cur.peek();
  if (tok?.kind !== 'string') throw cur.error();
  cur.skip();
  return unquote(tok.text);
}

/** `COPY t [(cols)] FROM STDIN [WITH] [(opts)] | opts`, `COPY {t [(cols)] | (query)} TO STDOUT ...`. */
function parseCopy(cur: TokenCursor, sql: string): UtilityStatement {
  cur.skip();
  let query: string | null = null;
  let table: string | null = null;
  let columns: string[] | null = null;
  if (cur.peek()?.text === '(') {
    const start = cur.offset + 1;
    let depth = 0;
    for (;;) {
      const tok = cur.peek();
      if (!tok) throw cur.error();
      if (tok.text === '(') depth++;
      if (tok.text === ')' && --depth === 0) {
        query = sql.slice(start, tok.start);
        cur.skip();
        break;
      }
      cur.skip();
    }
  } else {
    table = cur.qualifiedName();
    if (cur.acceptPunct('(')) {
      columns = identList(cur);
      if (!cur.acceptPunct(')')) throw cur.error();
    }
  }
  const from = cur.accept('from');
  if (!from) cur.expect('to');
  if (from && query !== null) throw new ParseError('COPY (query) FROM is not supported', cur.offset + 1);
  if (!cur.accept(from ? 'stdin' : 'stdout')) {
    throw new ParseError(`COPY ${from ? 'FROM a file' : 'TO a file'} is not supported: use ${from ? 'STDIN' : 'STDOUT'} (psql: \\copy)`, cur.offset + 1);
  }
  const options = parseCopyOptions(cur);
  if (from) return { kind: 'copy_from', table: table!, columns, options };
  return { kind: 'copy_to', table, columns, query, options };
}

function parseCopyOptions(cur: TokenCursor): CopyOptions {
  const options: CopyOptions = new Map();
  cur.accept('with');
  if (cur.acceptPunct('(')) {
    do {
      const name = cur.identifier().toLowerCase();
      const tok = cur.peek();
      if (tok && tok.text !== ',' && tok.text !== ')') {
        options.set(name, tok.kind === 'string' ? unquote(tok.text) : tok.text.toLowerCase());
        cur.skip();
      } else {
        options.set(name, 'true');
      }
    } while (cur.acceptPunct(','));
    if (!cur.acceptPunct(')')) throw cur.error();
  } else {
    // Old syntax: CSV, HEADER, DELIMITER [AS] 'x', NULL [AS] 'x', BINARY, QUOTE 'x', ESCAPE 'x'.
    while (!cur.done && cur.peek()?.text !== ';') {
      const word = keywordOf(cur.peek());
      cur.skip();
      if (word === 'csv') options.set('format', 'csv');
      else if (word === 'binary') options.set('format', 'binary');
      else if (word === 'header') options.set('header', 'true');
      else if (word === 'delimiter' || word === 'null' || word === 'quote' || word === 'escape') {
        cur.accept('as');
        options.set(word, stringLiteral(cur));
      } else throw cur.error();
    }
  }
  cur.expectEnd();
  return options;
}

/** `name [[WITH] option ...]`: PASSWORD 'x' | PASSWORD NULL | SUPERUSER | NOSUPERUSER | LOGIN ... */
function parseUserOptions(cur: TokenCursor, kind: 'create_user' | 'alter_user'): UtilityStatement {
  const name = cur.identifier();
  let password: string | null = null;
  let superuser: boolean | null = null;
  cur.accept('with');
  while (!cur.done && cur.peek()?.text !== ';') {
    if (cur.accept('encrypted') || cur.accept('unencrypted')) continue;
    if (cur.accept('password')) {
      if (cur.accept('null')) password = '';
      else password = stringLiteral(cur);
    } else if (cur.accept('superuser')) superuser = true;
    else if (cur.accept('nosuperuser')) superuser = false;
    else if (keywordOf(cur.peek())) cur.skip(); // LOGIN, CREATEDB, ...: accepted, no effect
    else throw cur.error();
  }
  cur.expectEnd();
  return { kind, name, password, superuser };
}

/** `GRANT priv[, ...] ON [TABLE] t[, ...] TO u[, ...]`, `REVOKE ... FROM ...`; ALL [PRIVILEGES]. */
function parseGrant(cur: TokenCursor, revoke: boolean): UtilityStatement {
  cur.skip();
  const privileges: string[] = [];
  do {
    const word = keywordOf(cur.peek());
    if (!word) throw cur.error();
    cur.skip();
    if (word === 'all') {
      cur.accept('privileges');
      privileges.push('select', 'insert', 'update', 'delete');
    } else if (['select', 'insert', 'update', 'delete'].includes(word)) privileges.push(word);
    else throw new ParseError(`unrecognized privilege type "${word}"`, cur.offset + 1);
  } while (cur.acceptPunct(','));
  cur.expect('on');
  cur.accept('table');
  const tables = identList(cur);
  cur.expect(revoke ? 'from' : 'to');
  const users = identList(cur);
  cur.expectEnd();
  return { kind: 'grant', revoke, privileges, tables, users };
}
