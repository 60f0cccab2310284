import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { DbError, SqlState, sqlStateOf } from '@tributary/common';
import { splitStatementsWithOffsets, type StatementPiece } from '../parser/split-statements.ts';
import { FrameReader, type Frame } from './frame-reader.ts';
import { decodeQuery, decodeStartupFrame, MalformedMessageError } from './frontend-messages.ts';
import { ExtendedQuery } from './extended-query.ts';
import * as msg from './messages.ts';
import { Outbox } from './outbox.ts';
import { authenticatorFor, type AuthConfig, type Authenticator } from './auth.ts';
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
  /** Password authentication; absent = trust. */
  auth?: AuthConfig;
  /** Accept SSLRequest with this certificate; absent = answer 'N'. */
  tls?: SecureContext;
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

const EXTENDED_QUERY_MESSAGES = new Set([0x50 /* P */, 0x42 /* B */, 0x44 /* D */, 0x45 /* E */, 0x43 /* C */]);
const YIELD_INTERVAL_MS = 10;
const COPY_MESSAGES = new Set([0x64 /* d */, 0x63 /* c */, 0x66 /* f */]);

/**
 * One client connection:
 * 1. Startup phase: SSLRequest/GSSENCRequest -> 'N'; CancelRequest -> onCancel + close;
 *    StartupMessage v3 -> [auth phase: md5 / SCRAM exchange, see auth.ts] -> createSession,
 *    AuthenticationOk, ParameterStatus*, BackendKeyData, 'Z'.
 * 2. Ready phase: frames are handled one at a time (a Query may await long), the rest queue in
 *    the FrameReader. Simple queries run here; Parse/Bind/Describe/Execute/Close go to
 *    ExtendedQuery; after an error the extended protocol skips to Sync. COPY FROM STDIN reads its
 *    CopyData frames straight from the FrameReader while the statement runs.
 * 3. Every statement runs `guarded`: a CancelRequest or statement_timeout aborts its signal.
 * Every failure stays inside this object: protocol errors send a FATAL and close the socket.
 */
export class PgConnection {
  private readonly reader = new FrameReader();
  private readonly out: Outbox;
  private phase: 'startup' | 'auth' | 'ready' | 'closed' = 'startup';
  private pendingAuth?: { authenticator: Authenticator; params: Map<string, string> };
  private session?: SessionHandler;
  private pumping = false;
  private skipUntilSync = false;
  private activeStatement?: AbortController;
  private readonly extended: ExtendedQuery;
  private wakeCopy?: () => void;
  private lastYieldMs = 0;

  constructor(
    private socket: Socket,
    private readonly deps: PgConnectionDeps,
  ) {
    this.out = new Outbox(socket);
    this.extended = new ExtendedQuery({
      out: this.out,
      session: () => {
        if (!this.session) throw new DbError(SqlState.InternalError, 'no session');
        return this.session;
      },
      guarded: (controller, work) => this.guarded(controller, work),
      sendResult: (result, signal) => this.sendResult(result, signal),
      afterBatch: (signal) => this.afterBatch(signal),
    });
    socket.setNoDelay(true);
    this.listen(socket);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.phase === 'closed') return;
    this.reader.push(chunk);
    if (this.wakeCopy) this.wakeCopy();
    else void this.pump();
  };

  private readonly onError = (err: Error): void => this.deps.logger.debug({ err, processId: this.deps.processId }, 'pgwire socket error');

  private readonly onClose = (): void => this.shutdown();

  private listen(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** SSLRequest accepted: 'S', then the TLS handshake on the same socket; frames continue inside TLS. */
  private async startTls(secureContext: SecureContext): Promise<void> {
    if (this.reader.buffered > 0) throw new DbError(SqlState.ProtocolViolation, 'unexpected data after SSLRequest');
    this.out.push(Buffer.from('S'));
    await this.out.flush();
    const raw = this.socket;
    raw.off('data', this.onData);
    raw.off('close', this.onClose);
    const secure = new TLSSocket(raw, { isServer: true, secureContext });
    this.socket = secure;
    this.out.retarget(secure);
    this.listen(secure);
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
    else if (this.phase === 'auth') await this.handleAuth(frame);
    else await this.handleMessage(frame.type, frame.body);
  }

  /** A PasswordMessage / SASL response during authentication; any failure is FATAL. */
  private async handleAuth(frame: Frame): Promise<void> {
    const pending = this.pendingAuth!;
    if (frame.type !== 0x70 /* p */) throw new DbError(SqlState.ProtocolViolation, `expected password response, got message type ${frame.type}`);
    const { reply, done } = pending.authenticator.onPassword(frame.body);
    if (reply) this.out.push(reply);
    if (!done) return;
    this.pendingAuth = undefined;
    await this.finishStartup(pending.params);
  }

  private async handleStartup(body: Buffer): Promise<void> {
    const startup = decodeStartupFrame(body);
    switch (startup.kind) {
      case 'ssl':
        if (this.deps.tls) return this.startTls(this.deps.tls);
        this.out.push(msg.sslRefused());
        return;
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
    const authenticator = authenticatorFor(this.deps.auth, user);
    if (authenticator) {
      this.phase = 'auth';
      this.pendingAuth = { authenticator, params };
      this.out.push(authenticator.start());
      return;
    }
    await this.finishStartup(params);
  }

  private async finishStartup(params: Map<string, string>): Promise<void> {
    const user = params.get('user')!;
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
      this.out.push(msg.readyForQuery(this.transactionStatus()));
      return;
    }
    if (type === 0x48 /* H: Flush */) return this.out.flush();
    if (COPY_MESSAGES.has(type)) return; // stray copy data after a failed COPY: ignored, like PG
    if (this.skipUntilSync) return;
    if (type === 0x51 /* Q */) return this.runQuery(decodeQuery(body));
    if (!EXTENDED_QUERY_MESSAGES.has(type)) throw new DbError(SqlState.ProtocolViolation, `invalid frontend message type ${type}`);
    try {
      await this.extended.handle(type, body);
    } catch (err) {
      if (isProtocolViolation(err)) throw err;
      this.session?.statementFailed?.();
      if (this.phase !== 'closed') this.out.push(msg.errorResponse(errorFields(err, 0)));
      this.skipUntilSync = true;
    }
  }

  private transactionStatus(): msg.TransactionStatus {
    return this.session?.transactionStatus?.() ?? 'I';
  }

  /**
   * Runs `work` as the active statement: a CancelRequest or the session's statement_timeout aborts
   * `controller`, and the work is abandoned at once (its promise is raced against the signal).
   */
  private async guarded<T>(controller: AbortController, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.activeStatement = controller;
    const timeoutMs = this.session?.statementTimeoutMs?.() ?? 0;
    const timer = timeoutMs > 0
      ? setTimeout(() => controller.abort(new DbError(SqlState.QueryCanceled, 'canceling statement due to statement timeout')), timeoutMs)
      : undefined;
    try {
      return await raceAbort(work(controller.signal), controller.signal);
    } finally {
      clearTimeout(timer);
      this.activeStatement = undefined;
    }
  }

  /** Simple query: every statement in order, stop at the first error, then ReadyForQuery. */
  private async runQuery(query: string): Promise<void> {
    this.extended.dropUnnamed();
    const pieces = splitStatementsWithOffsets(query);
    if (pieces.length === 0) this.out.push(msg.emptyQueryResponse());
    for (const piece of pieces) {
      if (!(await this.runStatement(piece))) break;
    }
    if (this.phase !== 'closed') this.out.push(msg.readyForQuery(this.transactionStatus()));
  }

  /** Runs one statement and queues its response; false when it failed. */
  private async runStatement(piece: StatementPiece): Promise<boolean> {
    try {
      const session = this.session;
      if (!session) throw new DbError(SqlState.InternalError, 'no session');
      await this.guarded(new AbortController(), async (signal) => {
        const result = await session.execute(piece.sql, signal);
        await this.sendResult(result, signal);
      });
      return true;
    } catch (err) {
      this.session?.statementFailed?.();
      if (this.phase !== 'closed') this.out.push(msg.errorResponse(errorFields(err, piece.offset)));
      return false;
    }
  }

  private async sendResult(result: StatementResult, signal: AbortSignal): Promise<void> {
    switch (result.kind) {
      case 'empty':
        this.out.push(msg.emptyQueryResponse());
        return;
      case 'command':
        for (const notice of result.notices ?? []) this.out.push(msg.noticeResponse(notice));
        for (const [name, value] of result.parameters ?? []) this.out.push(msg.parameterStatus(name, value));
        this.out.push(msg.commandComplete(result.tag));
        return;
      case 'copyIn': {
        this.out.push(msg.copyResponse('in', result.columns));
        await this.out.flush();
        this.out.push(msg.commandComplete(await result.consume(this.copyData(signal))));
        return;
      }
      case 'copyOut': {
        this.out.push(msg.copyResponse('out', result.columns));
        if (result.header !== undefined) this.out.push(msg.copyData(Buffer.from(result.header, 'utf8')));
        let count = 0;
        const send = async (line: string): Promise<void> => {
          this.out.push(msg.copyData(Buffer.from(line, 'utf8')));
          if ((++count & 255) === 0) await this.afterBatch(signal);
        };
        if (Symbol.asyncIterator in result.data) for await (const line of result.data) await send(line);
        else for (const line of result.data) await send(line);
        signal.throwIfAborted();
        this.out.push(msg.copyDone());
        this.out.push(msg.commandComplete(`COPY ${count}`));
        return;
      }
      case 'rows': {
        this.out.push(msg.rowDescription(result.fields));
        const count = await this.sendRows(result.rows, signal);
        this.out.push(msg.commandComplete(result.tag === 'SELECT' ? `SELECT ${count}` : result.tag));
      }
    }
  }

  /**
   * The CopyData payloads of a COPY FROM STDIN, read straight from the socket until CopyDone.
   * CopyFail aborts with 57014; Flush and Sync are ignored while copying (as PG does).
   */
  private async *copyData(signal: AbortSignal): AsyncGenerator<Buffer> {
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) {
        if (this.phase === 'closed') throw new DbError(SqlState.ConnectionFailure, 'connection closed during COPY');
        signal.throwIfAborted();
        await new Promise<void>((resolve) => {
          this.wakeCopy = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        this.wakeCopy = undefined;
        signal.throwIfAborted(); // cancelled while waiting: leave the remaining frames to the pump
        continue;
      }
      if (frame.type === 0x64 /* d */) yield frame.body;
      else if (frame.type === 0x63 /* c */) return;
      else if (frame.type === 0x66 /* f */) {
        const reason = frame.body.subarray(0, Math.max(0, frame.body.length - 1)).toString('utf8');
        throw new DbError(SqlState.QueryCanceled, `COPY from stdin failed: ${reason}`);
      } else if (frame.type !== 0x48 && frame.type !== 0x53) {
        throw new DbError(SqlState.ProtocolViolation, `unexpected message type 0x${frame.type.toString(16)} during COPY from stdin`);
      }
    }
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

  /**
   * Between row batches: honours an abort, writes a full outbox, and yields to the event loop
   * every YIELD_INTERVAL_MS so that timers (statement_timeout) and CancelRequests get to run
   * even when every read is a cache hit and the statement never waits for I/O.
   */
  private async afterBatch(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await this.out.flushIfFull();
    if (Date.now() - this.lastYieldMs >= YIELD_INTERVAL_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      this.lastYieldMs = Date.now();
      signal.throwIfAborted();
    }
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
    this.extended.closeAll();
    this.wakeCopy?.();
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

/** A malformed message: the connection cannot continue. */
function isProtocolViolation(err: unknown): boolean {
  return err instanceof MalformedMessageError;
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
