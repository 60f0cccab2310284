import type { ParsedStatement } from './parsed-statement.ts';
import type { TokenCursor } from './token-cursor.ts';

/**
 * After `CREATE SCHEMA`: `[IF NOT EXISTS] name [AUTHORIZATION role]` or `AUTHORIZATION role`
 * (the schema then takes the role's name). Schema elements (`CREATE SCHEMA s CREATE TABLE ...`)
 * are not accepted.
 */
export function parseCreateSchema(cur: TokenCursor): ParsedStatement {
  const ifNotExists = cur.accept('if', 'not', 'exists');
  let name: string | null = null;
  let authorization: string | null = null;
  if (!cur.accept('authorization')) {
    name = cur.identifier();
    if (cur.accept('authorization')) authorization = cur.identifier();
  } else {
    authorization = cur.identifier();
  }
  cur.expectEnd();
  return { kind: 'create_schema', name: name ?? authorization!, ifNotExists, authorization };
}

/** After `CREATE DATABASE`: `name [[WITH] option [=] value ...]` (options are accepted and ignored). */
export function parseCreateDatabase(cur: TokenCursor): ParsedStatement {
  const name = cur.identifier();
  while (!cur.done && !cur.acceptPunct(';')) cur.skip();
  cur.expectEnd();
  return { kind: 'create_database', name };
}
