/**
 * Users as meta's UserManager (packages/meta/src/catalog/user-manager.ts) keeps and notifies them.
 * The shapes are repeated here because sql must not depend on meta; keep the two in step.
 */
export interface UserSecrets {
  /** `SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>`. */
  scram: string;
  /** `md5` + md5hex(password + user name). */
  md5: string;
}

export interface UserInfo {
  name: string;
  superuser: boolean;
  secrets: UserSecrets | null;
  /** Table name -> privileges ('select' | 'insert' | 'update' | 'delete'). */
  privileges: Record<string, string[]>;
}

export type UserDdl =
  | { op: 'create'; name: string; superuser: boolean; secrets: UserSecrets | null }
  | { op: 'alter'; name: string; superuser?: boolean; secrets?: UserSecrets | null }
  | { op: 'drop'; names: string[]; ifExists: boolean }
  | { op: 'grant'; revoke: boolean; privileges: string[]; tables: string[]; users: string[] };

export interface UsersSnapshot {
  version: number;
  users: UserInfo[];
}
