/**
 * Users and their grants, as meta's UserManager persists them and frontends receive them in
 * notifications. Passwords are never stored: only verifiers in PostgreSQL's formats.
 */
/** Password verifiers: never the password itself (the frontend derives them). */
export interface UserSecrets {
  /** `SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>` (PostgreSQL's format). */
  scram: string;
  /** `md5` + md5hex(password + user name) (PostgreSQL's format). */
  md5: string;
}

export interface UserInfo {
  name: string;
  superuser: boolean;
  /** null: no password (cannot log in when password authentication is on). */
  secrets: UserSecrets | null;
  /** Table name -> granted privileges ('select' | 'insert' | 'update' | 'delete'). */
  privileges: Record<string, string[]>;
}

/** The user DDL a frontend sends (Ddl kind 'user'). */
export type UserDdl =
  | { op: 'create'; name: string; superuser: boolean; secrets: UserSecrets | null }
  | { op: 'alter'; name: string; superuser?: boolean; secrets?: UserSecrets | null }
  | { op: 'drop'; names: string[]; ifExists: boolean }
  | { op: 'grant'; revoke: boolean; privileges: string[]; tables: string[]; users: string[] };

/** What frontends receive: every user, with a version that grows with each change. */
export interface UsersSnapshot {
  version: number;
  users: UserInfo[];
}
