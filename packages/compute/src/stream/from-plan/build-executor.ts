import { buildExpr, type ActorDesc, type ActorOutput, type Barrier, type ColumnEvaluator, type DbError, type Expr, type StateTableDesc, type StreamNode } from '@tributary/common';
import { nonStrictExpr } from '../expr-error/non-strict-expr.ts';
import type { BackfillProgress } from '../executor/table-scan.ts';
import { StateTable, type StateStore } from '../../state-table/index.ts';
import type { Channel } from '../channel.ts';
import type { Executor } from '../executor.ts';
import type { Message } from '../message.ts';
import {
  DmlExecutor, DynamicFilterExecutor, FilterExecutor, HashAggExecutor, HashJoinExecutor, MaterializeExecutor, MergeExecutor,
  NowExecutor, ProjectExecutor, RowIdGenExecutor, SimpleAggExecutor, TableScanExecutor, TimeWindowExecutor, TopNExecutor,
  UnionExecutor, ValuesExecutor, WatermarkFilterExecutor, watermarkOutputs, type DmlMessage,
} from '../executor/index.ts';
import { Channel as Ch } from '../channel.ts';
import { buildSource } from './build-source.ts';

/** What building an actor's executors needs from the node. */
export interface BuildContext {
  desc: ActorDesc;
  store: StateStore;
  /** The inputs of a `merge` leaf: one channel per upstream actor. */
  openInputs(upstreamFragmentId: number, types: StreamNode['schema']): Channel<Message>[];
  /** Where a backfill (table scan) reports its progress with a barrier. */
  reportBackfill?(barrier: Barrier, progress: BackfillProgress): void;
  /** The input from one more upstream actor (a merge gaining an input on a rebalance). */
  openInput?(up: ActorOutput, types: StreamNode['schema']): Channel<Message>;
  /** Where a data error in an expression goes (the expression is NULL for that row, see `nonStrictExpr`). */
  reportExprError?(executor: string, err: DbError): void;
}

export interface BuiltActor {
  root: Executor;
  /** Set when the actor has a `dml` leaf: where the node injects barriers and DML chunks. */
  dmlInbox: Channel<DmlMessage> | null;
}

/** DML chunks buffered per table actor before writers wait. */
const DML_INBOX_CAPACITY = 16;

/** Builds the executor tree of one actor from its plan (RisingWave's `from_proto`). */
export function buildActorExecutors(ctx: BuildContext): BuiltActor {
  const built: BuiltActor = { root: null as unknown as Executor, dmlInbox: null };
  const table = (d: StateTableDesc) => new StateTable(d, ctx.store, d.distKey.length === 0 ? [0] : ctx.desc.vnodes);
  const expr = (e: Expr, executor: string): ColumnEvaluator => nonStrictExpr(buildExpr(e), (err) => ctx.reportExprError?.(executor, err));
  const build = (node: StreamNode): Executor => {
    switch (node.kind) {
      case 'source': {
        built.dmlInbox = new Ch<DmlMessage>(DML_INBOX_CAPACITY);
        return buildSource(node, built.dmlInbox, table(node.splitTable), ctx);
      }
      case 'dml': {
        built.dmlInbox = new Ch<DmlMessage>(DML_INBOX_CAPACITY);
        return new DmlExecutor(node.schema, built.dmlInbox);
      }
      case 'rowIdGen':
        return new RowIdGenExecutor(build(node.input), node.rowIdIndex, ctx.desc.vnodes);
      case 'materialize':
        return new MaterializeExecutor(build(node.input), table(node.table), node.conflict === 'overwrite' ? 'overwrite' : 'none');
      case 'tableScan':
        return new TableScanExecutor({
          upstream: build(node.input),
          upstreamTable: table(node.upstreamTable),
          outputIndices: node.outputIndices,
          progressTable: table(node.progressTable),
          vnodes: ctx.desc.vnodes,
          rateLimitRowsPerSecond: node.rateLimitRowsPerSecond,
          onProgress: ctx.reportBackfill ? (b, p) => ctx.reportBackfill!(b, p) : undefined,
        });
      case 'project':
        return new ProjectExecutor(build(node.input), node.schema, node.exprs.map((e) => expr(e, 'Project')), watermarkOutputs(node.exprs));
      case 'filter':
        return new FilterExecutor(build(node.input), expr(node.predicate, 'Filter'));
      case 'hashAgg':
        return new HashAggExecutor({
          input: build(node.input),
          schema: node.schema,
          groupKey: node.groupKey,
          aggCalls: node.aggCalls,
          inputStreamKey: node.inputStreamKey,
          resultTable: table(node.resultTable),
          minMaxTables: node.minMaxTables.map((t) => (t ? table(t) : null)),
          distinctTables: node.distinctTables?.map((t) => (t ? table(t) : null)),
          emitOnWindowClose: node.emitOnWindowClose,
        });
      case 'simpleAgg':
        return new SimpleAggExecutor({
          input: build(node.input),
          schema: node.schema,
          aggCalls: node.aggCalls,
          inputStreamKey: node.inputStreamKey,
          resultTable: table(node.resultTable),
          minMaxTables: node.minMaxTables.map((t) => (t ? table(t) : null)),
          distinctTables: node.distinctTables?.map((t) => (t ? table(t) : null)),
        });
      case 'hashJoin':
        return new HashJoinExecutor({
          left: build(node.left),
          right: build(node.right),
          joinType: node.joinType,
          leftKeys: node.leftKeys,
          rightKeys: node.rightKeys,
          condition: node.condition ? expr(node.condition, 'HashJoin') : null,
          leftTable: table(node.leftTable),
          rightTable: table(node.rightTable),
        });
      case 'timeWindow':
        return new TimeWindowExecutor(build(node.input), node.schema, node.timeCol, node.sizeMicros, node.slideMicros);
      case 'union':
        return new UnionExecutor(node.schema, node.inputs.map(build));
      case 'topN':
        return new TopNExecutor({
          input: build(node.input),
          schema: node.schema,
          groupKey: node.groupKey,
          limit: node.limit,
          offset: node.offset,
          withRank: node.withRank,
          table: table(node.table),
        });
      case 'watermarkFilter':
        return new WatermarkFilterExecutor({
          input: build(node.input),
          column: node.column,
          delayMicros: BigInt(node.delayMicros),
          table: table(node.table),
          ownVnode: Math.min(...ctx.desc.vnodes, 255),
        });
      case 'now': {
        built.dmlInbox = new Ch<DmlMessage>(DML_INBOX_CAPACITY);
        return new NowExecutor(built.dmlInbox);
      }
      case 'values': {
        built.dmlInbox = new Ch<DmlMessage>(DML_INBOX_CAPACITY);
        const rows = node.rows.map((r) => r.map((e) => buildExpr(e)([], 1)[0]));
        return new ValuesExecutor(node.schema, rows, built.dmlInbox, table(node.table));
      }
      case 'dynamicFilter':
        return new DynamicFilterExecutor({
          left: build(node.left),
          right: build(node.right),
          column: node.column,
          op: node.op,
          offsetMicros: BigInt(node.offsetMicros),
          table: table(node.table),
        });
      case 'merge': {
        const inputs = ctx.openInputs(node.upstreamFragmentId, node.schema);
        const openInput = ctx.openInput;
        const rescheduling = openInput && {
          actorId: ctx.desc.actorId,
          upstreamFragmentId: node.upstreamFragmentId,
          upstreamActorIds: (ctx.desc.upstreams[node.upstreamFragmentId] ?? []).map((u) => u.actorId),
          open: (up: ActorOutput) => openInput(up, node.schema),
        };
        return new MergeExecutor(node.schema, inputs, rescheduling);
      }
      case 'exchange':
        throw new Error('exchange nodes are cut by the fragmenter and never reach compute');
    }
  };
  built.root = build(ctx.desc.node);
  return built;
}
