/** The user shapes live in @tributary/common (the contract between meta and frontends). */
export type { UserDdl, UserInfo, UserSecrets, UsersSnapshot } from '@tributary/common';
