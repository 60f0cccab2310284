import type * as grpc from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { DbError, RpcError, sqlStateOf } from '../error/db-error.ts';
import { SqlState } from '../error/sql-state.ts';

/** Metadata key carrying a DbError's SQLSTATE across gRPC. */
const SQLSTATE_KEY = 'x-sqlstate';
const DETAIL_KEY = 'x-detail';
const HINT_KEY = 'x-hint';

/** Promisified unary call. A remote DbError comes back as a DbError with the same code. */
export function unary<Req, Res>(client: unknown, method: string, req: Req, deadlineMs = 0): Promise<Res> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = client as any;
    const opts = deadlineMs > 0 ? { deadline: Date.now() + deadlineMs } : {};
    c[method](req, opts, (err: grpc.ServiceError | null, res: Res) => {
      if (err) reject(fromServiceError(err, method));
      else resolve(res);
    });
  });
}

export function fromServiceError(err: grpc.ServiceError, what: string): DbError {
  const code = err.metadata?.get(SQLSTATE_KEY)?.[0];
  if (typeof code === 'string') {
    const detail = err.metadata.get(DETAIL_KEY)?.[0];
    const hint = err.metadata.get(HINT_KEY)?.[0];
    return new DbError(code as SqlState, err.details || err.message, {
      detail: typeof detail === 'string' ? decodeURIComponent(detail) : undefined,
      hint: typeof hint === 'string' ? decodeURIComponent(hint) : undefined,
    });
  }
  return new RpcError(SqlState.ConnectionFailure, `${what} failed: ${err.details || err.message}`, { cause: err });
}

/** Wraps a promise-returning handler as a grpc-js unary handler, mapping errors to metadata. */
export function unaryHandler<Req, Res>(fn: (req: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

export function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  const md = new Metadata();
  md.set(SQLSTATE_KEY, sqlStateOf(err));
  if (err instanceof DbError) {
    // gRPC metadata values are single-line ASCII-safe strings: escape newlines.
    if (err.detail) md.set(DETAIL_KEY, encodeURIComponent(err.detail));
    if (err.hint) md.set(HINT_KEY, encodeURIComponent(err.hint));
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 2 /* UNKNOWN */, details: message, message, metadata: md } as Partial<grpc.ServiceError>;
}

