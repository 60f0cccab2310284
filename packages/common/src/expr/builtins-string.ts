import { DbError } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';
import { ALL_DATA_TYPES, type DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { formatDatum } from '../types/format.ts';
import { lenient, register, strict, type FunctionImpl } from './function-registry.ts';

/** String functions, LIKE and concatenation. */

const VARCHAR: DataType = 'character varying';

/** Code points of `s` (PG counts characters, not UTF-16 units). */
function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** PG substr(s, start [, count]) with 1-based code point positions. */
function substr(s: string, start: number, count: number | null): string {
  if (count !== null && count < 0) throw new DbError(SqlState.InvalidParameterValue, 'negative substring length not allowed');
  const chars = Array.from(s);
  const from = Math.max(start, 1);
  const end = count === null ? chars.length + 1 : start + count;
  if (end <= from) return '';
  return chars.slice(from - 1, end - 1).join('');
}

/** Compiles a LIKE pattern (backslash escape) to an anchored RegExp. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      if (i >= pattern.length) {
        throw new DbError(SqlState.InvalidParameterValue, 'LIKE pattern must not end with escape character');
      }
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', caseInsensitive ? 'sui' : 'su');
}

/** A LIKE matcher caching the compiled pattern (patterns are usually constant). */
function likeImpl(caseInsensitive: boolean, negate: boolean): FunctionImpl {
  let lastPattern: string | null = null;
  let lastRe: RegExp = /^$/;
  return strict((a) => {
    const p = a[1] as string;
    if (p !== lastPattern) {
      lastRe = likeToRegExp(p, caseInsensitive);
      lastPattern = p;
    }
    return lastRe.test(a[0] as string) !== negate;
  });
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(chars));
  const cs = Array.from(s);
  let i = 0;
  let j = cs.length;
  if (left) while (i < j && set.has(cs[i])) i++;
  if (right) while (j > i && set.has(cs[j - 1])) j--;
  return cs.slice(i, j).join('');
}

export function registerStrings(): void {
  const v = VARCHAR;
  register('upper', { args: [v], ret: v, impl: strict((a) => (a[0] as string).toUpperCase()) });
  register('lower', { args: [v], ret: v, impl: strict((a) => (a[0] as string).toLowerCase()) });
  register(['length', 'char_length', 'character_length'], { args: [v], ret: 'integer', impl: strict((a) => charLength(a[0] as string)) });
  register('length', { args: ['bytea'], ret: 'integer', impl: strict((a) => (a[0] as Uint8Array).length) });
  register('octet_length', { args: [v], ret: 'integer', impl: strict((a) => Buffer.byteLength(a[0] as string)) });
  register(['substr', 'substring'], { args: [v, 'integer'], ret: v, impl: strict((a) => substr(a[0] as string, a[1] as number, null)) });
  register(['substr', 'substring'], { args: [v, 'integer', 'integer'], ret: v, impl: strict((a) => substr(a[0] as string, a[1] as number, a[2] as number)) });
  register('replace', { args: [v, v, v], ret: v, impl: strict((a) =>
    (a[1] as string) === '' ? a[0] : (a[0] as string).split(a[1] as string).join(a[2] as string)) });
  register(['strpos', 'position'], { args: [v, v], ret: 'integer', impl: strict((a) => {
    const i = (a[0] as string).indexOf(a[1] as string);
    return i < 0 ? 0 : charLength((a[0] as string).slice(0, i)) + 1;
  }) });
  register('starts_with', { args: [v, v], ret: 'boolean', impl: strict((a) => (a[0] as string).startsWith(a[1] as string)) });
  for (const [name, l, r] of [['btrim', true, true], ['trim', true, true], ['ltrim', true, false], ['rtrim', false, true]] as const) {
    register(name, { args: [v], ret: v, impl: strict((a) => trimChars(a[0] as string, ' ', l, r)) });
    register(name, { args: [v, v], ret: v, impl: strict((a) => trimChars(a[0] as string, a[1] as string, l, r)) });
  }
  register('like', { args: [v, v], ret: 'boolean', impl: likeImpl(false, false) });
  register('not_like', { args: [v, v], ret: 'boolean', impl: likeImpl(false, true) });
  register('ilike', { args: [v, v], ret: 'boolean', impl: likeImpl(true, false) });
  register('not_ilike', { args: [v, v], ret: 'boolean', impl: likeImpl(true, true) });

  // || : text || text, and text || anything-else via the other side's output function.
  register('||', { args: [v, v], ret: v, impl: strict((a) => (a[0] as string) + (a[1] as string)) });
  for (const t of ALL_DATA_TYPES) {
    if (t === v) continue;
    register('||', { args: [v, t], ret: v, impl: strict((a) => (a[0] as string) + formatDatum(t, a[1])) });
    register('||', { args: [t, v], ret: v, impl: strict((a) => formatDatum(t, a[0]) + (a[1] as string)) });
  }
  register('||', { args: ['bytea', 'bytea'], ret: 'bytea', impl: strict((a) => {
    const x = a[0] as Uint8Array;
    const y = a[1] as Uint8Array;
    const out = new Uint8Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  }) });
}

/**
 * concat(any...) and concat_ws(sep, any...), PostgreSQL's VARIADIC "any" functions: the binder
 * passes every argument that is not text through `text_output` (the type's output function, so a
 * boolean prints 't' as in PG). NULLs are skipped; concat_ws with a NULL separator is NULL.
 */
export function registerConcat(): void {
  register('concat', { args: [VARCHAR], variadic: true, ret: VARCHAR, impl: lenient((a) => {
    let s = '';
    for (let i = 0; i < a.length; i++) if (a[i] !== null) s += a[i] as string;
    return s;
  }) });
  register('concat_ws', { args: [VARCHAR], variadic: true, ret: VARCHAR, impl: lenient((a) => {
    if (a[0] === null) return null;
    const parts: string[] = [];
    for (let i = 1; i < a.length; i++) if (a[i] !== null) parts.push(a[i] as string);
    return parts.join(a[0] as string);
  }) });
  for (const t of ALL_DATA_TYPES) {
    if (t !== VARCHAR) register('text_output', { args: [t], ret: VARCHAR, impl: strict((a) => formatDatum(t, a[0])) });
  }
}
