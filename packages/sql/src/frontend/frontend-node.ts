import { readFileSync } from 'node:fs';
import { createLogger, DbError, DEFAULT_DATABASE, setCatalogFunctionLookup, SqlState } from '@tributary/common';
import { catalogFunctionLookup } from '../catalog/catalog-function-lookup.ts';
import { currentSession } from '../session/session-context.ts';
import { startPgServer, type AuthMethod } from '../pgwire/index.ts';
import { Session } from '../session/session.ts';
import { DmlWriter } from './dml-writer.ts';
import { FrontendMeta } from './frontend-meta.ts';

export interface FrontendNodeOptions {
  meta: string;
  host: string;
  port: number;
  /** Client authentication: 'trust' (default), 'md5' or 'scram-sha-256'. */
  auth?: AuthMethod;
  /** PEM certificate and key files: clients may use TLS (sslmode=require). */
  tlsCert?: string;
  tlsKey?: string;
}

export interface FrontendNode {
  port: number;
  close(): Promise<void>;
}

/** A frontend: the Postgres wire server, planning, DML routing and snapshot reads. */
export async function startFrontendNode(opts: FrontendNodeOptions): Promise<FrontendNode> {
  const log = createLogger('frontend');
  const meta = new FrontendMeta(opts.meta);
  await meta.start();
  const dml = new DmlWriter(meta);
  // pg_get_viewdef, pg_table_is_visible, ...: the calling session's database.
  setCatalogFunctionLookup(catalogFunctionLookup(() => meta.relationsOf(currentSession()?.database ?? DEFAULT_DATABASE), () => meta.allUsers()));
  const server = await startPgServer({
    host: opts.host,
    port: opts.port,
    createSession: (p) => {
      if (!meta.user(p.user)) throw new DbError(SqlState.InvalidAuthorizationSpecification, `role "${p.user}" does not exist`);
      if (!meta.database(p.database)) throw new DbError(SqlState.InvalidCatalogName, `database "${p.database}" does not exist`);
      return new Session(meta, dml, p.user, p.database, p.startupParams);
    },
    ...(opts.tlsCert && opts.tlsKey ? { tls: { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey) } } : {}),
    auth: { method: opts.auth ?? 'trust', lookup: (user) => { const u = meta.user(user); return u ? u.secrets : undefined; } },
    logger: log,
  });
  log.info({ host: opts.host, port: server.port }, 'frontend listening (psql -h %s -p %d -d dev -U root)');
  return {
    port: server.port,
    async close() {
      await server.close();
      dml.close();
      meta.close();
    },
  };
}
