export { startPgServer, type PgServer, type PgServerOptions } from './pg-server.ts';
export type { SessionHandler, StatementResult, SessionParams, PgLogger, PreparedStatement } from './session-handler.ts';
export type { FieldDescription, ErrorFields } from './messages.ts';
export { FrameReader, FRAME_LENGTH_MAX, type Frame } from './frame-reader.ts';
export { makeVerifiers, type AuthConfig, type AuthMethod, type PasswordVerifiers } from './auth.ts';
