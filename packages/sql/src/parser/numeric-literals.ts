import type { Token } from './sql-scanner.ts';

/**
 * pgsql-ast-parser cannot read numeric literals with an exponent (`1e10` lexes as `1` followed by
 * the alias `e10`), and it hands decimal literals over as JS numbers, losing their scale (`2.50`)
 * and digits beyond a double's. PostgreSQL types them `numeric`, so each such literal becomes
 * `('2.50'::numeric)`, which it parses and our numeric input reads exactly. `tokens` come from
 * `tokenize(sql)`; the scanner yields `1e10` as one number token and `2E-2` as `2E`, `-`, `2`.
 */
export function rewriteNumericLiterals(sql: string, tokens: readonly Token[]): string {
  let out = '';
  let copied = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (tok.kind !== 'number') continue;
    if (!/[eE]/.test(tok.text)) {
      if (!tok.text.includes('.') || String(Number(tok.text)) === tok.text) continue;
      out += `${sql.slice(copied, tok.start)}('${tok.text}'::numeric)`;
      copied = tok.end;
      continue;
    }
    let end = tok.end;
    let literal = tok.text;
    if (/[eE]$/.test(tok.text)) {
      const sign = tokens[t + 1];
      const digits = tokens[t + 2];
      if (!sign || !digits || (sign.text !== '-' && sign.text !== '+') || sign.start !== tok.end || digits.start !== sign.end || !/^\d+$/.test(digits.text)) continue;
      literal = tok.text + sign.text + digits.text;
      end = digits.end;
      t += 2;
    }
    if (!/^(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(literal)) continue;
    out += `${sql.slice(copied, tok.start)}('${literal}'::numeric)`;
    copied = end;
  }
  return copied === 0 ? sql : out + sql.slice(copied);
}
