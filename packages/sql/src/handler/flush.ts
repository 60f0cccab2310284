import type { HandlerContext } from './handler-context.ts';
import { command } from './result.ts';
import type { StatementResult } from '../pgwire/index.ts';

/** FLUSH: returns once every earlier write is committed and visible to this frontend's reads. */
export async function handleFlush(ctx: HandlerContext): Promise<StatementResult> {
  await ctx.meta.flush();
  return command('FLUSH');
}
