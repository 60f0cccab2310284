import { notSupported, type DbError } from '@tributary/common';
import { keywordOf, tokenize } from './sql-scanner.ts';

const FRAME_UNITS = new Set(['rows', 'range', 'groups']);

/**
 * pgsql-ast-parser cannot parse window frame clauses (`OVER (... ROWS BETWEEN ...)`) nor named
 * windows (`OVER w ... WINDOW w AS (...)`). When it failed on a statement using either, this names
 * the construct (0A000) instead of a bare syntax error; null otherwise.
 */
export function unsupportedWindowSyntax(sql: string): DbError | null {
  const tokens = tokenize(sql);
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (keywordOf(tokens[i]) === 'window' && tokens[i + 2] && keywordOf(tokens[i + 2]) === 'as') {
      return namedWindows();
    }
    if (keywordOf(tokens[i]) !== 'over') continue;
    const next = tokens[i + 1];
    if (next.text !== '(') {
      return namedWindows();
    }
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      if (tokens[j].text === '(') depth++;
      else if (tokens[j].text === ')' && --depth === 0) break;
      else if (depth === 1 && FRAME_UNITS.has(keywordOf(tokens[j]) ?? '')) {
        return notSupported('window frame clauses (ROWS / RANGE / GROUPS)',
          'Only the default frame is supported: from the partition start to the current row and its peers with ORDER BY, the whole partition without.');
      }
    }
  }
  return null;
}

function namedWindows(): DbError {
  return notSupported('named windows (WINDOW w AS ..., OVER w)', 'Write the window inline: OVER (PARTITION BY ... ORDER BY ...).');
}
