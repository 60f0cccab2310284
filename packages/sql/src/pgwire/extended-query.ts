import { DbError, SqlState } from '@tributary/common';
import { decodeBinary } from './binary-codec.ts';
import { decodeBind, decodeExecute, decodeParse, decodeTarget, formatAt, type BindMessage } from './frontend-messages.ts';
import * as msg from './messages.ts';
import type { Outbox } from './outbox.ts';
import { encodeRow, Portal, type StatementEntry } from './portal.ts';
import type { SessionHandler, StatementResult } from './session-handler.ts';

/** What the extended protocol needs of its connection. */
export interface ExtendedQueryHost {
  readonly out: Outbox;
  session(): SessionHandler;
  /** Runs `work` as the active statement (cancel, statement_timeout). */
  guarded<T>(controller: AbortController, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Sends a non-row result (CommandComplete, COPY, EmptyQueryResponse). */
  sendResult(result: StatementResult, signal: AbortSignal): Promise<void>;
  /** Between row batches: abort check, output flush, event-loop yield. */
  afterBatch(signal: AbortSignal): Promise<void>;
}

/**
 * The extended query protocol of one connection: prepared statements and portals by name ('' =
 * unnamed). Parse prepares through the session; Bind decodes parameters (text, or binary by the
 * statement's parameter types); a portal runs on its first Describe or Execute; Execute with a
 * row limit answers PortalSuspended and resumes where it stopped. Errors propagate to the
 * connection, which answers ErrorResponse and skips to Sync.
 */
export class ExtendedQuery {
  private readonly statements = new Map<string, StatementEntry>();
  private readonly portals = new Map<string, Portal>();

  constructor(private readonly host: ExtendedQueryHost) {}

  /** A simple Query drops the unnamed statement and portal, as in PostgreSQL. */
  dropUnnamed(): void {
    this.statements.delete('');
    this.closePortal('');
  }

  /** Ends every portal (connection closed). */
  closeAll(): void {
    for (const portal of this.portals.values()) portal.close();
    this.portals.clear();
  }

  /** Parse, Bind, Describe, Execute, Close. Errors propagate to `handleMessage` (skip to Sync). */
  async handle(type: number, body: Buffer): Promise<void> {
    const session = this.host.session();
    if (!session.prepare || !session.executePrepared) {
      throw new DbError(SqlState.FeatureNotSupported, 'extended query protocol is not supported yet');
    }
    switch (type) {
      case 0x50 /* P */: {
        const m = decodeParse(body);
        if (m.name !== '' && this.statements.has(m.name)) {
          throw new DbError(SqlState.DuplicatePreparedStatement, `prepared statement "${m.name}" already exists`);
        }
        const prepared = await session.prepare(m.query, m.paramTypeOids);
        this.statements.set(m.name, { prepared });
        this.host.out.push(msg.parseComplete());
        return;
      }
      case 0x42 /* B */:
        return this.bind(decodeBind(body));
      case 0x44 /* D */: {
        const { target, name } = decodeTarget(body, 'Describe');
        if (target === 'S') return this.describeStatement(this.statementNamed(name));
        return this.describePortal(this.portalNamed(name));
      }
      case 0x45 /* E */: {
        const { portal, maxRows } = decodeExecute(body);
        return this.execute(this.portalNamed(portal), maxRows);
      }
      case 0x43 /* C */: {
        const { target, name } = decodeTarget(body, 'Close');
        if (target === 'S') this.statements.delete(name);
        else this.closePortal(name);
        this.host.out.push(msg.closeComplete());
        return;
      }
    }
  }

  private statementNamed(name: string): StatementEntry {
    const entry = this.statements.get(name);
    if (!entry) throw new DbError(SqlState.InvalidSqlStatementName, `prepared statement "${name}" does not exist`);
    return entry;
  }

  private portalNamed(name: string): Portal {
    const portal = this.portals.get(name);
    if (!portal) throw new DbError(SqlState.InvalidCursorName, `portal "${name}" does not exist`);
    return portal;
  }

  closePortal(name: string): void {
    this.portals.get(name)?.close();
    this.portals.delete(name);
  }

  private bind(m: BindMessage): void {
    const entry = this.statementNamed(m.statement);
    const oids = entry.prepared.paramTypeOids;
    if (m.params.length !== oids.length) {
      throw new DbError(SqlState.ProtocolViolation,
        `bind message supplies ${m.params.length} parameters, but prepared statement "${m.statement}" requires ${oids.length}`);
    }
    const params = m.params.map((p, i) => {
      if (p === null) return null;
      return formatAt(m.paramFormats, i) === 1 ? decodeBinary(oids[i], p) : p.toString('utf8');
    });
    if (m.portal !== '' && this.portals.has(m.portal)) {
      throw new DbError(SqlState.DuplicateCursor, `portal "${m.portal}" already exists`);
    }
    this.closePortal(m.portal);
    const portal = new Portal(entry, params, m.resultFormats);
    if (entry.prepared.fields) portal.formats(entry.prepared.fields.length); // validates the codes
    this.portals.set(m.portal, portal);
    this.host.out.push(msg.bindComplete());
  }

  private describeStatement(entry: StatementEntry): void {
    this.host.out.push(msg.parameterDescription(entry.prepared.paramTypeOids));
    const fields = entry.prepared.fields;
    this.host.out.push(fields ? msg.rowDescription(fields) : msg.noData());
  }

  private async describePortal(portal: Portal): Promise<void> {
    const result = await this.startPortal(portal);
    if (result.kind === 'rows') this.host.out.push(msg.rowDescriptionWithFormats(result.fields, portal.formats(result.fields.length)));
    else this.host.out.push(msg.noData());
  }

  /** Runs the portal's statement once (first Describe or Execute). */
  private async startPortal(portal: Portal): Promise<StatementResult> {
    if (portal.result) return portal.result;
    const session = this.host.session();
    portal.result = await this.host.guarded(portal.controller, (signal) => session.executePrepared!(portal.statement.prepared, portal.params, signal));
    return portal.result;
  }

  private async execute(portal: Portal, maxRows: number): Promise<void> {
    const result = await this.startPortal(portal);
    if (result.kind !== 'rows') {
      if (portal.finished) return void this.host.out.push(msg.commandComplete(commandTagOf(result)));
      portal.finished = true;
      return this.host.guarded(portal.controller, (signal) => this.host.sendResult(result, signal));
    }
    if (portal.finished) return void this.host.out.push(msg.commandComplete(result.tag === 'SELECT' ? 'SELECT 0' : result.tag));
    const oids = result.fields.map((f) => f.typeOid);
    const formats = portal.formats(oids.length);
    const count = await this.host.guarded(portal.controller, async (signal) => {
      let n = 0;
      while (maxRows <= 0 || n < maxRows) {
        const row = await portal.nextRow();
        if (!row) {
          portal.finished = true;
          break;
        }
        this.host.out.push(msg.dataRowEncoded(encodeRow(row, oids, formats)));
        if ((++n & 255) === 0) await this.host.afterBatch(signal);
      }
      signal.throwIfAborted();
      return n;
    });
    if (!portal.finished) this.host.out.push(msg.portalSuspended());
    else this.host.out.push(msg.commandComplete(result.tag === 'SELECT' ? `SELECT ${count}` : result.tag));
  }
}

function commandTagOf(result: StatementResult): string {
  return result.kind === 'command' ? result.tag : result.kind === 'rows' ? result.tag : 'SELECT 0';
}
