export { startPgServer, type PgServer, type PgServerOptions } from './pg-server.ts';
export type { SessionHandler, StatementResult, SessionParams, PgLogger } from './session-handler.ts';
export type { FieldDescription, ErrorFields } from './messages.ts';
export { FrameReader, FRAME_LENGTH_MAX, type Frame } from './frame-reader.ts';
