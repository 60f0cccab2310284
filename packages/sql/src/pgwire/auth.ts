import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DbError, SqlState } from '@tributary/common';
import * as msg from './messages.ts';

/**
 * Password authentication of the startup phase (PostgreSQL's formats, so verifiers are portable):
 *
 * md5:   server sends a 4-byte salt; client answers 'md5' + md5hex(md5hex(password + user) + salt).
 *        Stored verifier: 'md5' + md5hex(password + user).
 * SCRAM-SHA-256 (RFC 5802/7677, no channel binding):
 *   1. server: AuthenticationSASL ['SCRAM-SHA-256']
 *   2. client: SASLInitialResponse 'n,,n=,r=<client nonce>'
 *   3. server: SASLContinue 'r=<client nonce + server nonce>,s=<salt>,i=<iterations>'
 *   4. client: SASLResponse 'c=biws,r=<nonce>,p=<ClientProof>'
 *   5. server checks H(ClientProof xor HMAC(StoredKey, AuthMessage)) == StoredKey and answers
 *      SASLFinal 'v=<HMAC(ServerKey, AuthMessage)>'.
 *   Stored verifier: 'SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>' (base64 parts).
 */

export type AuthMethod = 'trust' | 'md5' | 'scram-sha-256';

/** A user's stored verifiers; null when the user has no password. */
export interface PasswordVerifiers {
  scram: string;
  md5: string;
}

export interface AuthConfig {
  method: AuthMethod;
  /** The verifiers of `user`: null = no password, undefined = no such user. */
  lookup(user: string): PasswordVerifiers | null | undefined;
}

const SCRAM_ITERATIONS = 4096;

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();
const md5hex = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

/** Verifiers for a new password (CREATE/ALTER USER ... PASSWORD). */
export function makeVerifiers(user: string, password: string): PasswordVerifiers {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const storedKey = sha256(hmac(salted, 'Client Key'));
  const serverKey = hmac(salted, 'Server Key');
  return {
    scram: `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`,
    md5: `md5${md5hex(password + user)}`,
  };
}

function authFailed(user: string): DbError {
  return new DbError(SqlState.InvalidPassword, `password authentication failed for user "${user}"`);
}

/** One authentication exchange: `start` gives the first challenge, `onPassword` each 'p' message. */
export class Authenticator {
  private step = 0;
  private readonly salt = randomBytes(4);
  private scram?: { clientFirstBare: string; serverFirst: string; nonce: string };

  constructor(
    private readonly method: Exclude<AuthMethod, 'trust'>,
    private readonly user: string,
    private readonly verifiers: PasswordVerifiers | null,
  ) {}

  start(): Buffer {
    return this.method === 'md5' ? msg.authenticationMd5(this.salt) : msg.authenticationSasl(['SCRAM-SHA-256']);
  }

  /** Handles one PasswordMessage body; returns the next message to send and whether auth is done. */
  onPassword(body: Buffer): { reply?: Buffer; done: boolean } {
    if (!this.verifiers) throw authFailed(this.user);
    if (this.method === 'md5') {
      const answer = body.subarray(0, Math.max(0, body.indexOf(0))).toString('utf8');
      const expected = `md5${md5hex(Buffer.concat([Buffer.from(this.verifiers.md5.slice(3)), this.salt]))}`;
      if (!safeEqual(Buffer.from(answer), Buffer.from(expected))) throw authFailed(this.user);
      return { done: true };
    }
    return this.step++ === 0 ? this.scramFirst(body) : this.scramFinal(body);
  }

  private scramFirst(body: Buffer): { reply: Buffer; done: false } {
    const nameEnd = body.indexOf(0);
    const mechanism = body.subarray(0, nameEnd).toString('utf8');
    if (mechanism !== 'SCRAM-SHA-256') {
      throw new DbError(SqlState.ProtocolViolation, 'client selected an invalid SASL authentication mechanism');
    }
    const length = body.readInt32BE(nameEnd + 1);
    const clientFirst = body.subarray(nameEnd + 5, nameEnd + 5 + length).toString('utf8');
    const m = /^([nyp])(=[^,]*)?,[^,]*,(.*)$/.exec(clientFirst);
    if (!m) throw new DbError(SqlState.ProtocolViolation, 'malformed SCRAM message');
    if (m[1] === 'p') throw new DbError(SqlState.ProtocolViolation, 'SCRAM channel binding is not supported');
    const clientFirstBare = m[3];
    const clientNonce = /(?:^|,)r=([^,]+)/.exec(clientFirstBare)?.[1];
    if (!clientNonce) throw new DbError(SqlState.ProtocolViolation, 'malformed SCRAM message: no nonce');
    const [, iterSalt] = this.verifiers!.scram.split('$');
    const [iterations, salt] = iterSalt.split(':');
    const nonce = clientNonce + randomBytes(18).toString('base64');
    const serverFirst = `r=${nonce},s=${salt},i=${iterations}`;
    this.scram = { clientFirstBare, serverFirst, nonce };
    return { reply: msg.authenticationSaslContinue(serverFirst), done: false };
  }

  private scramFinal(body: Buffer): { reply: Buffer; done: true } {
    const clientFinal = body.toString('utf8');
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (!this.scram || proofAt < 0) throw new DbError(SqlState.ProtocolViolation, 'malformed SCRAM message');
    const withoutProof = clientFinal.slice(0, proofAt);
    if (/(?:^|,)r=([^,]+)/.exec(withoutProof)?.[1] !== this.scram.nonce) throw authFailed(this.user);
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const [, , keys] = this.verifiers!.scram.split('$');
    const [storedKey, serverKey] = keys.split(':').map((k) => Buffer.from(k, 'base64'));
    const authMessage = `${this.scram.clientFirstBare},${this.scram.serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    if (proof.length !== signature.length) throw authFailed(this.user);
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
    if (!safeEqual(sha256(clientKey), storedKey)) throw authFailed(this.user);
    const serverSignature = hmac(serverKey, authMessage).toString('base64');
    return { reply: msg.authenticationSaslFinal(`v=${serverSignature}`), done: true };
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The authenticator for `user`, or null under trust. Unknown users fail like a wrong password. */
export function authenticatorFor(config: AuthConfig | undefined, user: string): Authenticator | null {
  if (!config || config.method === 'trust') return null;
  const verifiers = config.lookup(user);
  return new Authenticator(config.method, user, verifiers ?? null);
}
