import { identifierOf, keywordOf, type Token } from './sql-scanner.ts';
import { syntaxErrorAt } from './parse-error.ts';

/** Reads a token list front to back for the hand-written statement forms. */
export class TokenCursor {
  private index = 0;

  constructor(
    private readonly sql: string,
    private readonly tokens: readonly Token[],
  ) {}

  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  /** Offset of the current token, or the end of the text. */
  get offset(): number {
    return this.peek()?.start ?? this.sql.length;
  }

  /** Consumes one token of any kind. */
  skip(): void {
    this.index++;
  }

  /** Consumes the keywords when they all come next (case-insensitive). */
  accept(...keywords: string[]): boolean {
    for (let k = 0; k < keywords.length; k++) {
      if (keywordOf(this.peek(k)) !== keywords[k]) return false;
    }
    this.index += keywords.length;
    return true;
  }

  expect(...keywords: string[]): void {
    for (const kw of keywords) {
      if (!this.accept(kw)) throw this.error();
    }
  }

  acceptPunct(text: string): boolean {
    const tok = this.peek();
    if (tok?.kind !== 'punct' || tok.text !== text) return false;
    this.index++;
    return true;
  }

  /** `a`, `"A"`, `s.t`: returns the folded parts joined with '.'. */
  qualifiedName(): string {
    const parts = [this.identifier()];
    while (this.acceptPunct('.')) parts.push(this.identifier());
    return parts.join('.');
  }

  identifier(): string {
    const tok = this.peek();
    if (!tok || (tok.kind !== 'word' && tok.kind !== 'quoted_ident')) throw this.error();
    this.index++;
    return identifierOf(tok);
  }

  /** Fails unless every token was consumed (trailing `;` allowed). */
  expectEnd(): void {
    while (this.acceptPunct(';'));
    if (!this.done) throw this.error();
  }

  error(): Error {
    return syntaxErrorAt(this.sql, this.offset);
  }
}
