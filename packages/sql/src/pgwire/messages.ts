import { Writer } from 'pg-protocol/dist/buffer-writer';

/**
 * Encoders for backend (server -> client) messages of protocol v3. Each returns one framed message:
 * a type byte, an int32 length counting itself, then the body.
 */

export interface FieldDescription {
  name: string;
  typeOid: number;
  /** pg_type.typlen: -1 for varlena, -2 for cstring, else the fixed width in bytes. */
  typeLen: number;
  /** Defaults to -1 (no modifier). */
  typeMod?: number;
}

/** Fields of an ErrorResponse / NoticeResponse (PostgreSQL field codes in comments). */
export interface ErrorFields {
  severity: 'ERROR' | 'FATAL' | 'NOTICE' | 'WARNING';
  /** C: SQLSTATE. */
  code: string;
  /** M */
  message: string;
  /** D */
  detail?: string;
  /** H */
  hint?: string;
  /** P: 1-based character position in the query string. */
  position?: number;
}

export const authenticationOk = (): Buffer => new Writer().addInt32(0).flush(0x52 /* R */);

export const parameterStatus = (name: string, value: string): Buffer =>
  new Writer().addCString(name).addCString(value).flush(0x53 /* S */);

export const backendKeyData = (processId: number, secretKey: number): Buffer =>
  new Writer().addInt32(processId).addInt32(secretKey).flush(0x4b /* K */);

export type TransactionStatus = 'I' | 'T' | 'E';

export const readyForQuery = (status: TransactionStatus = 'I'): Buffer =>
  new Writer().addString(status).flush(0x5a /* Z */);

export function rowDescription(fields: readonly FieldDescription[]): Buffer {
  const w = new Writer().addInt16(fields.length);
  for (const f of fields) {
    w.addCString(f.name).addInt32(0).addInt16(0).addInt32(f.typeOid).addInt16(f.typeLen);
    w.addInt32(f.typeMod ?? -1).addInt16(0 /* text format */);
  }
  return w.flush(0x54 /* T */);
}

/** A DataRow in text format; null is sent as length -1. */
export function dataRow(values: readonly (string | null)[], writer = new Writer()): Buffer {
  writer.addInt16(values.length);
  for (const v of values) {
    if (v === null || v === undefined) writer.addInt32(-1);
    else writer.addInt32PrefixedString(String(v));
  }
  return writer.flush(0x44 /* D */);
}

export const commandComplete = (tag: string): Buffer => new Writer().addCString(tag).flush(0x43 /* C */);

export const emptyQueryResponse = (): Buffer => new Writer().flush(0x49 /* I */);

export const parseComplete = (): Buffer => new Writer().flush(0x31 /* 1 */);

export const closeComplete = (): Buffer => new Writer().flush(0x33 /* 3 */);

function fieldsBody(fields: ErrorFields): Writer {
  const w = new Writer();
  w.addString('S').addCString(fields.severity);
  w.addString('V').addCString(fields.severity);
  w.addString('C').addCString(fields.code);
  w.addString('M').addCString(fields.message);
  if (fields.detail) w.addString('D').addCString(fields.detail);
  if (fields.hint) w.addString('H').addCString(fields.hint);
  if (fields.position !== undefined) w.addString('P').addCString(String(fields.position));
  w.addString('\0');
  return w;
}

export const errorResponse = (fields: ErrorFields): Buffer => fieldsBody(fields).flush(0x45 /* E */);

export const noticeResponse = (message: string, code = '00000'): Buffer =>
  fieldsBody({ severity: 'NOTICE', code, message }).flush(0x4e /* N */);

/** The single byte answering SSLRequest / GSSENCRequest: not supported. */
export const sslRefused = (): Buffer => Buffer.from('N');

/** Result column format codes: 0 text, 1 binary. */
export type FormatCode = 0 | 1;

/** RowDescription naming each column's format (Describe of a bound portal). */
export function rowDescriptionWithFormats(fields: readonly FieldDescription[], formats: readonly FormatCode[]): Buffer {
  const w = new Writer().addInt16(fields.length);
  fields.forEach((f, i) => {
    w.addCString(f.name).addInt32(0).addInt16(0).addInt32(f.typeOid).addInt16(f.typeLen);
    w.addInt32(f.typeMod ?? -1).addInt16(formats[i] ?? 0);
  });
  return w.flush(0x54 /* T */);
}

/** A DataRow of already-encoded values (text or binary); null is sent as length -1. */
export function dataRowEncoded(values: readonly (Buffer | null)[]): Buffer {
  const w = new Writer().addInt16(values.length);
  for (const v of values) {
    if (v === null) w.addInt32(-1);
    else w.addInt32(v.length).add(v);
  }
  return w.flush(0x44 /* D */);
}

export const bindComplete = (): Buffer => new Writer().flush(0x32 /* 2 */);
export const noData = (): Buffer => new Writer().flush(0x6e /* n */);
export const portalSuspended = (): Buffer => new Writer().flush(0x73 /* s */);

export function parameterDescription(typeOids: readonly number[]): Buffer {
  const w = new Writer().addInt16(typeOids.length);
  for (const oid of typeOids) w.addInt32(oid);
  return w.flush(0x74 /* t */);
}

/** CopyInResponse ('G') / CopyOutResponse ('H'): overall format 0 (text), every column text. */
export function copyResponse(direction: 'in' | 'out', columns: number): Buffer {
  const w = new Writer().add(Buffer.from([0])).addInt16(columns);
  for (let i = 0; i < columns; i++) w.addInt16(0);
  return w.flush(direction === 'in' ? 0x47 /* G */ : 0x48 /* H */);
}

export const copyData = (data: Buffer): Buffer => new Writer().add(data).flush(0x64 /* d */);
export const copyDone = (): Buffer => new Writer().flush(0x63 /* c */);

/** AuthenticationCleartextPassword (3), MD5Password (5, with salt), SASL (10), SASLContinue (11), SASLFinal (12). */
export const authenticationMd5 = (salt: Buffer): Buffer => new Writer().addInt32(5).add(salt).flush(0x52);
export const authenticationSasl = (mechanisms: string[]): Buffer => {
  const w = new Writer().addInt32(10);
  for (const m of mechanisms) w.addCString(m);
  return w.addCString('').flush(0x52);
};
export const authenticationSaslContinue = (data: string): Buffer => new Writer().addInt32(11).addString(data).flush(0x52);
export const authenticationSaslFinal = (data: string): Buffer => new Writer().addInt32(12).addString(data).flush(0x52);
