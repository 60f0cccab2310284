import { notSupported } from '@tributary/common';
import type { ParsedStatement } from '../parser/index.ts';
import { planCreateMv } from '../planner/create-mv.ts';
import { planSelect } from '../planner/plan-select.ts';
import { explainBatch } from '../planner/explain-batch.ts';
import { backfillRateLimitOf } from '../session/session-settings.ts';
import type { HandlerContext } from './handler-context.ts';
import { textRows } from './result.ts';
import type { StatementResult } from '../pgwire/index.ts';

/**
 * EXPLAIN [VERBOSE] CREATE MATERIALIZED VIEW ...: the stream plan, one operator per line (VERBOSE:
 * with state tables). EXPLAIN SELECT ...: the batch plan.
 */
export async function handleExplain(ctx: HandlerContext, p: ParsedStatement, verbose = false): Promise<StatementResult> {
  if (p.kind === 'create_mv') {
    const planned = planCreateMv(p.name, p.query, ctx.catalog, {
      definition: p.sql, emitOnWindowClose: p.emitOnWindowClose, backfillRateLimit: backfillRateLimitOf(ctx.settings),
    });
    return textRows(['QUERY PLAN'], (verbose ? planned.explainVerbose : planned.explain).split('\n').map((l) => [l]));
  }
  if (p.kind === 'ast' && (p.ast.type === 'select' || p.ast.type === 'union' || p.ast.type === 'union all')) {
    const planned = planSelect(p.ast, ctx.catalog);
    return textRows(['QUERY PLAN'], explainBatch(planned.plan, ctx.catalog).split('\n').map((l) => [l]));
  }
  throw notSupported('EXPLAIN of this statement');
}
