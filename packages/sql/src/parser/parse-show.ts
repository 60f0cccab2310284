import type { ParsedStatement, ShowWhat } from './parsed-statement.ts';
import type { TokenCursor } from './token-cursor.ts';

const LISTINGS: ReadonlyArray<[string[], ShowWhat]> = [
  [['tables'], 'tables'],
  [['materialized', 'views'], 'materialized views'],
  [['sources'], 'sources'],
  [['views'], 'views'],
  [['databases'], 'databases'],
  [['schemas'], 'schemas'],
  [['cluster'], 'cluster'],
  [['recoveries'], 'recoveries'],
  [['jobs'], 'jobs'],
  [['rebalances'], 'rebalances'],
  [['actors'], 'actors'],
  [['stream', 'errors'], 'stream errors'],
];

/** Parameters whose SHOW spelling has several words. */
const MULTI_WORD_PARAMS: ReadonlyArray<[string[], string]> = [
  [['time', 'zone'], 'timezone'],
  [['transaction', 'isolation', 'level'], 'transaction_isolation'],
  [['session', 'authorization'], 'session_authorization'],
];

/** After `SHOW`: listings, `COLUMNS FROM x`, or a run-time parameter. */
export function parseShow(cur: TokenCursor): ParsedStatement {
  for (const [words, what] of LISTINGS) {
    if (!cur.accept(...words)) continue;
    const name = cur.accept('from') || cur.accept('in') ? cur.qualifiedName() : undefined;
    cur.expectEnd();
    return name === undefined ? { kind: 'show', what } : { kind: 'show', what, name };
  }
  if (cur.accept('columns')) {
    if (!cur.accept('from')) cur.expect('in');
    const name = cur.qualifiedName();
    cur.expectEnd();
    return { kind: 'show', what: 'columns', name };
  }
  for (const [words, name] of MULTI_WORD_PARAMS) {
    if (cur.accept(...words)) {
      cur.expectEnd();
      return { kind: 'show', what: 'parameter', name };
    }
  }
  const name = cur.qualifiedName();
  cur.expectEnd();
  return { kind: 'show', what: 'parameter', name };
}
