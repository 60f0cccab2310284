import { DbError, SqlState, type SourceNode } from '@tributary/common';
import type { StateTable } from '../../state-table/index.ts';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { DmlMessage } from '../executor/dml.ts';
import { SourceExecutor } from '../executor/source.ts';
import { datagenRow, parseDatagenOptions } from '../../source/datagen.ts';
import type { BuildContext } from './build-executor.ts';

/**
 * A `source` node: the connector's splits are dealt to the fragment's actors by actor index
 * (split s -> actor s mod parallelism), each actor taking its share of the rate.
 */
export function buildSource(node: SourceNode, inbox: Channel<DmlMessage>, splitTable: StateTable, ctx: BuildContext): Executor {
  if (node.connector !== 'datagen') throw new DbError(SqlState.FeatureNotSupported, `connector "${node.connector}" is not supported yet`);
  const cfg = parseDatagenOptions(node.columnNames, node.schema, node.options);
  const index = ctx.desc.actorIndex;
  const count = ctx.desc.fragmentParallelism;
  const splits: number[] = [];
  for (let s = index; s < cfg.splitCount; s += count) splits.push(s);
  return new SourceExecutor({
    schema: node.schema,
    inbox,
    read: (split, offset) => datagenRow(cfg, split, offset),
    splits,
    rowsPerSecond: (cfg.rowsPerSecond * splits.length) / cfg.splitCount,
    splitTable,
  });
}
