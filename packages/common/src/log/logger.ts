import { pino, type Logger } from 'pino';

export type { Logger };

/** Process-wide root logger. Level from TRIBUTARY_LOG_LEVEL (default info); JSON lines to stderr. */
export const rootLogger: Logger = pino(
  { level: process.env.TRIBUTARY_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
  pino.destination({ dest: 2, sync: true }),
);

export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ component, ...bindings });
}
