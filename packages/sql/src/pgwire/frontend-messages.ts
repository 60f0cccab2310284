import { BufferReader } from 'pg-protocol/dist/buffer-reader';
import { DbError, SqlState } from '@tributary/common';

/** Request codes of the untyped startup-phase frames. */
export const PROTOCOL_V3 = 196608;
export const CANCEL_REQUEST_CODE = 80877102;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;

export type StartupFrame =
  | { kind: 'ssl' }
  | { kind: 'gssenc' }
  | { kind: 'cancel'; processId: number; secretKey: number }
  | { kind: 'startup'; params: Map<string, string> }
  | { kind: 'unsupported'; code: number };

/** A frontend message that cannot be decoded (08P01): the connection is closed. */
export class MalformedMessageError extends DbError {
  constructor(message: string) {
    super(SqlState.ProtocolViolation, message);
  }
}

const protocolError = (message: string): DbError => new MalformedMessageError(message);

/** Decodes the body of a startup-phase frame (everything after the length word). */
export function decodeStartupFrame(body: Buffer): StartupFrame {
  if (body.length < 4) throw protocolError('invalid startup packet length');
  const reader = new BufferReader();
  reader.setBuffer(0, body);
  const code = reader.int32();
  if (code === SSL_REQUEST_CODE) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST_CODE) {
    if (body.length < 12) throw protocolError('invalid cancel request length');
    return { kind: 'cancel', processId: reader.int32(), secretKey: reader.int32() };
  }
  if (code !== PROTOCOL_V3) return { kind: 'unsupported', code };
  return { kind: 'startup', params: decodeParams(body, reader) };
}

/** `name\0value\0 ... \0` — the terminating empty name must be the last byte. */
function decodeParams(body: Buffer, reader: BufferReader): Map<string, string> {
  if (body[body.length - 1] !== 0) throw protocolError('invalid startup packet layout: missing terminator');
  const params = new Map<string, string>();
  for (let guard = 0; guard < 1000; guard++) {
    const name = reader.cstring();
    if (name === '') return params;
    params.set(name, reader.cstring());
  }
  throw protocolError('too many startup parameters');
}

/** The query string of a Query ('Q') message. */
export function decodeQuery(body: Buffer): string {
  if (body.length === 0 || body[body.length - 1] !== 0) throw protocolError('invalid Query message: missing terminator');
  const reader = new BufferReader();
  reader.setBuffer(0, body);
  return reader.cstring();
}

/** Parse ('P'): statement name, query, declared parameter type OIDs (0 = infer). */
export interface ParseMessage {
  name: string;
  query: string;
  paramTypeOids: number[];
}

/** Bind ('B'). `params[i]` is null for SQL NULL. Format lists follow the protocol's 0/1/n rule. */
export interface BindMessage {
  portal: string;
  statement: string;
  paramFormats: number[];
  params: (Buffer | null)[];
  resultFormats: number[];
}

function readerOf(body: Buffer, what: string): BufferReader {
  if (body.length === 0) throw protocolError(`invalid ${what} message`);
  const reader = new BufferReader();
  reader.setBuffer(0, body);
  return reader;
}

/** Runs a decoder, turning out-of-bounds reads into protocol violations. */
function guarded<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof DbError) throw err;
    throw protocolError(`invalid ${what} message`);
  }
}

export function decodeParse(body: Buffer): ParseMessage {
  return guarded('Parse', () => {
    const r = readerOf(body, 'Parse');
    const name = r.cstring();
    const query = r.cstring();
    const count = r.int16();
    const paramTypeOids: number[] = [];
    for (let i = 0; i < count; i++) paramTypeOids.push(r.uint32());
    return { name, query, paramTypeOids };
  });
}

export function decodeBind(body: Buffer): BindMessage {
  return guarded('Bind', () => {
    const r = readerOf(body, 'Bind');
    const portal = r.cstring();
    const statement = r.cstring();
    const paramFormats = int16List(r);
    const count = r.int16();
    const params: (Buffer | null)[] = [];
    for (let i = 0; i < count; i++) {
      const len = r.int32();
      if (len < -1 || len > body.length) throw protocolError('invalid Bind message: parameter length');
      params.push(len === -1 ? null : Buffer.from(r.bytes(len)));
    }
    const resultFormats = int16List(r);
    return { portal, statement, paramFormats, params, resultFormats };
  });
}

function int16List(r: BufferReader): number[] {
  const n = r.int16();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.int16());
  return out;
}

/** Describe ('D') / Close ('C'): 'S' statement or 'P' portal, then the name. */
export function decodeTarget(body: Buffer, what: string): { target: 'S' | 'P'; name: string } {
  return guarded(what, () => {
    const r = readerOf(body, what);
    const target = String.fromCharCode(r.byte());
    if (target !== 'S' && target !== 'P') throw protocolError(`invalid ${what} message subtype ${target}`);
    return { target, name: r.cstring() };
  });
}

/** Execute ('E'): portal name and row limit (0 = all). */
export function decodeExecute(body: Buffer): { portal: string; maxRows: number } {
  return guarded('Execute', () => {
    const r = readerOf(body, 'Execute');
    return { portal: r.cstring(), maxRows: r.int32() };
  });
}

/** The format of column `i` under a protocol format list: none = text, one = all, else per column. */
export function formatAt(formats: readonly number[], i: number): 0 | 1 {
  const f = formats.length === 0 ? 0 : formats.length === 1 ? formats[0] : formats[i];
  if (f !== 0 && f !== 1) throw protocolError(`invalid format code ${f}`);
  return f;
}
