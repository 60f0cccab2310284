import type { DataType } from '../types/data-type.ts';
import type { Expr } from '../expr/expr.ts';
import type { AggCall } from './agg-call.ts';
import type { StateTableDesc } from './state-table-desc.ts';

/**
 * Stream plan IR: a tree per fragment, JSON-serializable, shipped from frontend to meta and from
 * meta to compute nodes. `schema` of every node is its output column types.
 *
 * A fragment's leaves are `dml` (a table's write entry), `tableScan` (backfill from an upstream
 * table/MV followed by its live stream, no-shuffle from the upstream's materialize fragment) or
 * `merge` (input from an upstream fragment through an exchange).
 */
export type StreamNode =
  | DmlNode
  | SourceNode
  | RowIdGenNode
  | MaterializeNode
  | TableScanNode
  | ProjectNode
  | FilterNode
  | HashAggNode
  | SimpleAggNode
  | HashJoinNode
  | UnionNode
  | TopNNode
  | TimeWindowNode
  | WatermarkFilterNode
  | NowNode
  | ValuesNode
  | DynamicFilterNode
  | ExchangeNode
  | MergeNode;

interface Base {
  schema: DataType[];
  /** Output column names, for EXPLAIN. */
  names: string[];
}

/** Entry of a table's writes (INSERT/UPDATE/DELETE chunks from frontends) and barriers from the node. */
export interface DmlNode extends Base { kind: 'dml'; tableId: number }

/** Fills the hidden `_row_id` column of inserted rows with ids in the actor's vnodes. */
export interface RowIdGenNode extends Base { kind: 'rowIdGen'; rowIdIndex: number; input: StreamNode }

/**
 * Persists its input into `table` (a table's or MV's storage) and forwards the changes.
 * `conflict: 'overwrite'` (tables): an insert of an existing pk becomes U-/U+, a delete of a
 * missing pk is dropped, a delete emits the stored row. 'none' (MVs): input is trusted.
 */
export interface MaterializeNode extends Base {
  kind: 'materialize';
  table: StateTableDesc;
  conflict: 'overwrite' | 'none';
  input: StreamNode;
}

/**
 * Backfill + live stream of an upstream table/MV (RisingWave's StreamTableScan). The input (a
 * `merge` of the upstream materialize actor, no-shuffle) delivers the live stream; the snapshot is
 * read from `upstreamTable` in chunks between barriers, interleaved with the live stream.
 * `outputIndices` picks upstream columns. `progressTable` records per vnode the backfill position
 * (`[vnode smallint, done boolean, pos bytea, rows bigint]`, see the table-scan executor).
 */
export interface TableScanNode extends Base {
  kind: 'tableScan';
  upstreamTableId: number;
  upstreamName: string;
  upstreamTable: StateTableDesc;
  outputIndices: number[];
  progressTable: StateTableDesc;
  /** Snapshot rows per second per actor (the creating session's `backfill_rate_limit`); unlimited when absent. */
  rateLimitRowsPerSecond?: number;
  input: StreamNode;
}

export interface ProjectNode extends Base { kind: 'project'; exprs: Expr[]; input: StreamNode }

export interface FilterNode extends Base { kind: 'filter'; predicate: Expr; input: StreamNode }

/**
 * Grouped aggregation with retraction. Output = group key columns then one column per agg call;
 * emits changes per dirty group at each barrier. `resultTable`: pk = group key, columns = group
 * key + encoded agg states (see executor). `minMaxTables[i]` for min/max calls: pk = group key +
 * arg (asc for min, desc for max) + input stream key; for string_agg: columns = group key ++ input
 * stream key ++ [value, delimiter] ++ ORDER BY columns, pk = group key ++ input stream key.
 * `distinctTables[i]` for DISTINCT count/sum calls (RisingWave's dedup tables): columns = group key
 * ++ [arg, count bigint], pk = group key ++ arg.
 */
export interface HashAggNode extends Base {
  kind: 'hashAgg';
  groupKey: number[];
  aggCalls: AggCall[];
  /** Input columns that identify an input row (its stream key); used by min/max state. */
  inputStreamKey: number[];
  resultTable: StateTableDesc;
  minMaxTables: (StateTableDesc | null)[];
  distinctTables?: (StateTableDesc | null)[];
  /**
   * EMIT ON WINDOW CLOSE: `groupKey[windowKey]` carries a watermark; a group is emitted once (as
   * an Insert) when the watermark passes it, and its state is deleted then. Nothing is emitted
   * for open groups.
   */
  emitOnWindowClose?: { windowKey: number };
  input: StreamNode;
}

/** Global aggregation (no GROUP BY), one actor; always has exactly one output row. */
export interface SimpleAggNode extends Base {
  kind: 'simpleAgg';
  aggCalls: AggCall[];
  inputStreamKey: number[];
  resultTable: StateTableDesc;
  minMaxTables: (StateTableDesc | null)[];
  distinctTables?: (StateTableDesc | null)[];
  input: StreamNode;
}

/**
 * `leftSemi` / `leftAnti` (EXISTS / IN and NOT EXISTS / NOT IN subqueries) output only the left
 * columns: a left row while it has at least one match (semi) or none (anti).
 */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'leftSemi' | 'leftAnti';

/**
 * Symmetric hash join of two inputs exchanged by their join keys (RisingWave's HashJoinExecutor);
 * it aligns barriers across its two inputs itself. Output = left columns ++ right columns (the
 * non-matching side NULL-padded for outer joins). `condition` (over left ++ right) is the non-equi
 * rest of the ON clause. State: `leftTable`/`rightTable` hold the input rows plus a trailing degree
 * column (bigint: number of matches on the other side, maintained for outer sides and for the left
 * side of semi/anti joins, whose output is the left columns only); pk = join key
 * ++ input stream key (deduplicated), dist key = join key. Output stream key = left stream key ++
 * right stream key ++ join key (left keys; right keys for RIGHT, both for FULL), so a row whose
 * join key changes (deleted by one actor, inserted by another) never races itself downstream.
 */
export interface HashJoinNode extends Base {
  kind: 'hashJoin';
  joinType: JoinType;
  leftKeys: number[];
  rightKeys: number[];
  condition: Expr | null;
  leftStreamKey: number[];
  rightStreamKey: number[];
  leftTable: StateTableDesc;
  rightTable: StateTableDesc;
  left: StreamNode;
  right: StreamNode;
}

/**
 * UNION ALL of N inputs with the same schema (RisingWave's UnionExecutor): chunks pass through as
 * they come; barriers are aligned across the inputs. The planner makes every input project to the
 * same columns: the visible ones, then slots for each branch's stream key (NULL in other branches),
 * then a branch id, which together form the output stream key.
 */
export interface UnionNode extends Base { kind: 'union'; inputs: StreamNode[] }

/** One ORDER BY column of a top-N. NULL placement is PostgreSQL's default for the direction. */
export interface TopNOrder { index: number; order: 'asc' | 'desc' }

/**
 * Top-N (`ORDER BY ... LIMIT n OFFSET m`, `groupKey` empty, one actor) and group top-N (per group
 * key). `table` holds every input row; pk = group key ++ order columns ++ input stream key (each
 * column once), so a prefix scan of a group reads its rows in output order, ties broken by the
 * stream key. At each barrier, each group that changed emits the difference between its previous
 * and its new window `[offset, offset + limit)`. `withRank` appends row_number() (bigint, 1-based
 * within the group) as the last output column; rows whose rank moved are updated.
 */
export interface TopNNode extends Base {
  kind: 'topN';
  groupKey: number[];
  orderBy: TopNOrder[];
  limit: number;
  offset: number;
  withRank: boolean;
  inputStreamKey: number[];
  table: StateTableDesc;
  input: StreamNode;
}

/**
 * TUMBLE / HOP (RisingWave's project with tumble_start, and HopWindowExecutor): appends
 * window_start and window_end (the time column's type) to every row. A tumble row gets its one
 * window (NULL bounds for a NULL time); a hop row is repeated once per window containing it
 * (size / slide windows, ascending; a NULL time drops the row), updates becoming delete + insert.
 * Intervals are in microseconds, as decimal strings (JSON has no bigint).
 */
export interface TimeWindowNode extends Base {
  kind: 'timeWindow';
  timeCol: number;
  sizeMicros: string;
  slideMicros: string;
  input: StreamNode;
}

/**
 * `WATERMARK FOR col AS col - delay` (RisingWave's WatermarkFilterExecutor): tracks the max of
 * `column`, emits watermarks `max - delay`, and drops rows whose `column` is below the current
 * watermark or NULL (late rows). `table` (pk = [vnode smallint], columns = [vnode, watermark])
 * keeps each actor's watermark; at every barrier an actor adopts the max over all actors, so
 * idle actors advance too and recovery resumes from the committed watermark.
 */
export interface WatermarkFilterNode extends Base {
  kind: 'watermarkFilter';
  column: number;
  delayMicros: string;
  table: StateTableDesc;
  input: StreamNode;
}

/**
 * `now()` of temporal filters (RisingWave's NowExecutor): a leaf driven by the node's barriers
 * (injected like a source's). After each barrier it emits the barrier's time (the physical part
 * of `currEpoch`, microseconds) as a one-row timestamptz chunk: Insert first, then U-/U+. It keeps
 * no state: after recovery it starts with an Insert, and consumers take the latest value.
 */
export interface NowNode extends Base { kind: 'now' }

/**
 * `VALUES (...), ...` in a view (RisingWave's ValuesExecutor): a leaf driven by injected barriers
 * that emits its constant rows once, as Inserts right after its first barrier. `table` (one row,
 * pk [0]) records that they were emitted, in the same epoch, so a recovery before that epoch
 * commits emits them again and one after it never does: exactly once.
 */
export interface ValuesNode extends Base {
  kind: 'values';
  rows: Expr[][];
  table: StateTableDesc;
}

/**
 * Temporal filter `left[column] > | >= now() + offset` (RisingWave's DynamicFilterExecutor, lower
 * bound only): `right` (a broadcast `now`) moves the bound up. Rows passing the bound are stored in
 * `table` (the left row; pk = column ++ left stream key, asc) and emitted; when the bound rises,
 * stored rows that fall below it are emitted as Delete and removed, so state holds only rows in
 * range. Rows already below the bound are dropped (the bound never goes down).
 */
export interface DynamicFilterNode extends Base {
  kind: 'dynamicFilter';
  column: number;
  op: '>' | '>=';
  offsetMicros: string;
  table: StateTableDesc;
  left: StreamNode;
  right: StreamNode;
}

export type Distribution =
  | { kind: 'hash'; keys: number[] }
  | { kind: 'single' }
  /** Every downstream actor gets every row (the `now` input of dynamic filters). */
  | { kind: 'broadcast' }
  | { kind: 'noShuffle' };

/** Fragment boundary in a planner tree: the fragmenter cuts here. Never reaches executors. */
export interface ExchangeNode extends Base { kind: 'exchange'; dist: Distribution; input: StreamNode }

/** Receives from all actors of `upstreamFragmentId` with barrier alignment. */
export interface MergeNode extends Base { kind: 'merge'; upstreamFragmentId: number }

/**
 * A connector feeding a table (`CREATE TABLE ... WITH (connector = ...)`); also the table's DML
 * entry and barrier entry, like `dml`. Splits are spread over the fragment's actors (split `s` to
 * actor `s mod parallelism`); each split's position lives in `splitTable` (pk = split id, row =
 * [split id, offset]) and is committed with every barrier, so replay after recovery resumes
 * exactly where the committed epoch ended.
 */
export interface SourceNode extends Base {
  kind: 'source';
  tableId: number;
  connector: string;
  /** All WITH options as given (lower-cased dotted keys). */
  options: Record<string, string>;
  /** Output column names, as declared. */
  columnNames: string[];
  splitTable: StateTableDesc;
}
