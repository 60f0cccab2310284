import { createServer, type AddressInfo, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { PgConnection } from './pg-connection.ts';
import type { PgLogger, SessionHandler, SessionParams } from './session-handler.ts';
import type { AuthConfig } from './auth.ts';

export interface PgServerOptions {
  host: string;
  /** 0 picks a free port (see the returned `port`). */
  port: number;
  createSession(params: SessionParams): SessionHandler | Promise<SessionHandler>;
  logger?: PgLogger;
  /** Password authentication (md5 / SCRAM-SHA-256); absent = trust. */
  auth?: AuthConfig;
  /** PEM certificate and key: SSLRequest is accepted (TLS); absent = refused with 'N'. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface PgServer {
  readonly port: number;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

const silentLogger: PgLogger = { info() {}, warn() {}, debug() {}, error() {} };

/** Listens for PostgreSQL v3 clients; one PgConnection per socket. */
export async function startPgServer(opts: PgServerOptions): Promise<PgServer> {
  const logger = opts.logger ?? silentLogger;
  const connections = new Map<number, PgConnection>();
  const secureContext = opts.tls ? createSecureContext({ cert: opts.tls.cert, key: opts.tls.key }) : undefined;
  const sockets = new Set<Socket>();
  let nextProcessId = 1;

  const server = createServer((socket) => {
    const processId = nextProcessId++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    try {
      const connection = new PgConnection(socket, {
        processId,
        secretKey: randomInt(-0x80000000, 0x7fffffff),
        createSession: opts.createSession,
        onCancel: (pid, key) => {
          const cancelled = connections.get(pid)?.cancel(key) ?? false;
          logger.debug({ processId: pid, cancelled }, 'pgwire cancel request');
        },
        onClose: () => connections.delete(processId),
        logger,
        ...(opts.auth ? { auth: opts.auth } : {}),
        ...(secureContext ? { tls: secureContext } : {}),
      });
      connections.set(processId, connection);
    } catch (err) {
      logger.error({ err }, 'pgwire connection setup failed');
      socket.destroy();
    }
  });
  server.on('error', (err) => logger.error({ err }, 'pgwire server error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: opts.host, port }, 'pgwire listening');

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
