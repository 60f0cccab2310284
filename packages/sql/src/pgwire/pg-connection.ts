import type { Socket } from 'node:net';
import { DbError, SqlState, sqlStateOf } from '@tributary/common';
import { splitStatementsWithOffsets, type StatementPiece } from '../parser/split-statements.ts';
import { FrameReader, type Frame } from './frame-reader.ts';
import { decodeQuery, decodeStartupFrame } from './frontend-messages.ts';
import * as msg from './messages.ts';
import { Outbox } from './outbox.ts';
import type { PgLogger, SessionHandler, SessionParams, StatementResult } from './session-handler.ts';

export interface PgConnectionDeps {
  processId: number;
  secretKey: number;
  createSession(params: SessionParams): SessionHandler | Promise<SessionHandler>;
  /** A CancelRequest arrived on this connection. */
  onCancel(processId: number, secretKey: number): void;
  /** The connection ended (called once). */
  onClose(): void;
  logger: PgLogger;
}

const SERVER_PARAMETERS: ReadonlyArray<[string, string]> = [
  ['server_version', '15.0.0'],
  ['server_encoding', 'UTF8'],
  ['client_encoding', 'UTF8'],
  ['DateStyle', 'ISO, MDY'],
  ['TimeZone', 'UTC'],
  ['integer_datetimes', 'on'],
  ['standard_conforming_strings', 'on'],
  ['is_superuser', 'on'],
];

const EXTENDED_QUERY_MESSAGES = new Set([0x50 /* P */, 0x42 /* B */, 0x44 /* D */, 0x45 /* E */]);
const COPY_MESSAGES = new Set([0x64 /* d */, 0x63 /* c */, 0x66 /* f */]);

/**
 * One client connection:
 * 1. Startup phase: SSLRequest/GSSENCRequest -> 'N'; CancelRequest -> onCancel + close;
 *    StartupMessage v3 -> createSession, AuthenticationOk, ParameterStatus*, BackendKeyData, 'Z'.
 * 2. Ready phase: frames are handled one at a time (a Query may await long), the rest queue in
 *    the FrameReader. The extended protocol is refused and the connection skips to Sync.
 * Every failure stays inside this object: protocol errors send a FATAL and close the socket.
 */
export class PgConnection {
  private readonly reader = new FrameReader();
  private readonly out: Outbox;
  private phase: 'startup' | 'ready' | 'closed' = 'startup';
  private session?: SessionHandler;
  private pumping = false;
  private skipUntilSync = false;
  private activeStatement?: AbortController;

  constructor(
    private readonly socket: Socket,
    private readonly deps: PgConnectionDeps,
  ) {
    this.out = new Outbox(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.phase === 'closed') return;
      this.reader.push(chunk);
      void this.pump();
    });
    socket.on('error', (err) => deps.logger.debug({ err, processId: deps.processId }, 'pgwire socket error'));
    socket.on('close', () => this.shutdown());
  }

  /** Aborts the running statement when the key matches (a CancelRequest from another socket). */
  cancel(secretKey: number): boolean {
    if (secretKey !== this.deps.secretKey) return false;
    this.activeStatement?.abort(new DbError(SqlState.QueryCanceled, 'canceling statement due to user request'));
    return true;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        let frame = this.nextFrame();
        if (!frame) {
          await this.out.flush();
          frame = this.nextFrame();
          if (!frame) break;
        }
        await this.handleFrame(frame);
      }
    } catch (err) {
      await this.fatal(err);
    } finally {
      this.pumping = false;
    }
  }

  private nextFrame(): Frame | null {
    return this.phase === 'closed' ? null : this.reader.next(this.phase === 'startup');
  }

  private async handleFrame(frame: Frame): Promise<void> {
    if (this.phase === 'startup') await this.handleStartup(frame.body);
    else await this.handleMessage(frame.type, frame.body);
  }

  private async handleStartup(body: Buffer): Promise<void> {
    const startup = decodeStartupFrame(body);
    switch (startup.kind) {
      case 'ssl':
      case 'gssenc':
        this.out.push(msg.sslRefused());
        return;
      case 'cancel':
        this.deps.onCancel(startup.processId, startup.secretKey);
        this.close();
        return;
      case 'unsupported':
        throw new DbError(SqlState.ProtocolViolation, `unsupported frontend protocol ${startup.code >>> 16}.${startup.code & 0xffff}`);
      case 'startup':
        await this.startSession(startup.params);
    }
  }

  private async startSession(params: Map<string, string>): Promise<void> {
    const user = params.get('user');
    if (!user) {
      throw new DbError(SqlState.InvalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet');
    }
    const database = params.get('database') || user;
    const session = await this.deps.createSession({ user, database, processId: this.deps.processId, startupParams: params });
    if (this.phase === 'closed') {
      closeQuietly(session, this.deps.logger);
      return;
    }
    this.session = session;
    this.phase = 'ready';
    this.out.push(msg.authenticationOk());
    for (const [name, value] of SERVER_PARAMETERS) this.out.push(msg.parameterStatus(name, value));
    this.out.push(msg.parameterStatus('application_name', params.get('application_name') ?? ''));
    this.out.push(msg.parameterStatus('session_authorization', user));
    this.out.push(msg.backendKeyData(this.deps.processId, this.deps.secretKey));
    this.out.push(msg.readyForQuery('I'));
    this.deps.logger.debug({ processId: this.deps.processId, user, database }, 'pgwire session started');
  }

  private async handleMessage(type: number, body: Buffer): Promise<void> {
    if (type === 0x58 /* X */) return this.close();
    if (type === 0x53 /* S: Sync */) {
      this.skipUntilSync = false;
      this.out.push(msg.readyForQuery('I'));
      return;
    }
    if (this.skipUntilSync || COPY_MESSAGES.has(type)) return;
    if (type === 0x51 /* Q */) return this.runQuery(decodeQuery(body));
    if (EXTENDED_QUERY_MESSAGES.has(type)) {
      this.out.push(msg.errorResponse({ severity: 'ERROR', code: SqlState.FeatureNotSupported, message: 'extended query protocol is not supported yet' }));
      this.skipUntilSync = true;
      return;
    }
    if (type === 0x43 /* C: Close */) return void this.out.push(msg.closeComplete());
    if (type === 0x48 /* H: Flush */) return this.out.flush();
    throw new DbError(SqlState.ProtocolViolation, `invalid frontend message type ${type}`);
  }

  /** Simple query: every statement in order, stop at the first error, then ReadyForQuery. */
  private async runQuery(query: string): Promise<void> {
    const pieces = splitStatementsWithOffsets(query);
    if (pieces.length === 0) this.out.push(msg.emptyQueryResponse());
    for (const piece of pieces) {
      if (!(await this.runStatement(piece))) break;
    }
    if (this.phase !== 'closed') this.out.push(msg.readyForQuery('I'));
  }

  /** Runs one statement and queues its response; false when it failed. */
  private async runStatement(piece: StatementPiece): Promise<boolean> {
    const controller = new AbortController();
    this.activeStatement = controller;
    try {
      const session = this.session;
      if (!session) throw new DbError(SqlState.InternalError, 'no session');
      const result = await raceAbort(session.execute(piece.sql, controller.signal), controller.signal);
      await this.sendResult(result, controller.signal);
      return true;
    } catch (err) {
      if (this.phase !== 'closed') this.out.push(msg.errorResponse(errorFields(err, piece.offset)));
      return false;
    } finally {
      this.activeStatement = undefined;
    }
  }

  private async sendResult(result: StatementResult, signal: AbortSignal): Promise<void> {
    if (result.kind === 'empty') {
      this.out.push(msg.emptyQueryResponse());
      return;
    }
    if (result.kind === 'command') {
      for (const notice of result.notices ?? []) this.out.push(msg.noticeResponse(notice));
      this.out.push(msg.commandComplete(result.tag));
      return;
    }
    this.out.push(msg.rowDescription(result.fields));
    const count = await this.sendRows(result.rows, signal);
    this.out.push(msg.commandComplete(result.tag === 'SELECT' ? `SELECT ${count}` : result.tag));
  }

  /** Streams DataRows, flushing in batches and waiting for 'drain'; returns the row count. */
  private async sendRows(rows: Iterable<(string | null)[]> | AsyncIterable<(string | null)[]>, signal: AbortSignal): Promise<number> {
    let count = 0;
    if (Symbol.iterator in rows) {
      for (const row of rows) {
        this.out.push(msg.dataRow(row));
        if ((++count & 255) === 0) await this.afterBatch(signal);
      }
    } else {
      for await (const row of rows) {
        this.out.push(msg.dataRow(row));
        if ((++count & 255) === 0) await this.afterBatch(signal);
      }
    }
    signal.throwIfAborted();
    return count;
  }

  private async afterBatch(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await this.out.flushIfFull();
  }

  /** Sends a FATAL error (protocol violations, failed startup) and closes. */
  private async fatal(err: unknown): Promise<void> {
    this.deps.logger.debug({ err, processId: this.deps.processId }, 'pgwire connection error');
    if (this.phase !== 'closed') {
      this.out.push(msg.errorResponse({ ...errorFields(err, 0), severity: 'FATAL' }));
      await this.out.flush().catch(() => undefined);
    }
    this.close();
  }

  private close(): void {
    if (!this.socket.destroyed) this.socket.end();
    this.shutdown();
  }

  /** Idempotent cleanup: abort the running statement, close the session, unregister. */
  private shutdown(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.activeStatement?.abort(new DbError(SqlState.ConnectionFailure, 'connection closed'));
    if (this.session) closeQuietly(this.session, this.deps.logger);
    this.deps.onClose();
  }
}

function closeQuietly(session: SessionHandler, logger: PgLogger): void {
  try {
    session.close();
  } catch (err) {
    logger.warn({ err }, 'session close failed');
  }
}

/** ErrorResponse fields for `err`; a numeric `position` is shifted by the statement's offset. */
export function errorFields(err: unknown, statementOffset: number): msg.ErrorFields {
  const fields: msg.ErrorFields = {
    severity: 'ERROR',
    code: sqlStateOf(err),
    message: err instanceof Error ? err.message : String(err),
  };
  if (err instanceof DbError) {
    if (err.detail) fields.detail = err.detail;
    if (err.hint) fields.hint = err.hint;
  }
  const position = (err as { position?: unknown } | null)?.position;
  if (typeof position === 'number' && position > 0) fields.position = position + statementOffset;
  return fields;
}

/** Rejects with the abort reason as soon as `signal` aborts, even if `work` ignores it. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
