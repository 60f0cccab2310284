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

const protocolError = (message: string): DbError => new DbError(SqlState.ProtocolViolation, message);

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
