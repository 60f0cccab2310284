import type { SelectStatement, Statement } from 'pgsql-ast-parser';
import type { ParsedWatermark } from './watermark-clause.ts';

export type ShowWhat =
  | 'tables'
  | 'materialized views'
  | 'sources'
  | 'views'
  | 'databases'
  | 'schemas'
  | 'columns'
  | 'cluster'
  | 'recoveries'
  | 'jobs'
  | 'rebalances'
  | 'actors'
  | 'stream errors'
  | 'parameter';

export type DropObjectKind = 'table' | 'materialized view' | 'view' | 'source' | 'sink' | 'index' | 'schema' | 'database';

/**
 * One statement after dispatch. Names are folded like PostgreSQL identifiers (unquoted to lower
 * case, quoted kept) and qualified parts are joined with '.'.
 */
export type ParsedStatement =
  /** `sql` is the pre-processed text that was parsed. */
  | {
      kind: 'ast';
      ast: Statement;
      emitOnWindowClose?: boolean;
      sql: string;
      /** `WITH (...)` options of CREATE TABLE/SOURCE (keys lower-cased, dotted). */
      withOptions?: Record<string, string>;
      /** CREATE SOURCE (parsed as a table shape). */
      createSource?: boolean;
      /** `WATERMARK FOR` of CREATE TABLE/SOURCE. */
      watermark?: ParsedWatermark;
    }
  | { kind: 'flush' }
  /** `name`: the relation of SHOW COLUMNS FROM, the parameter of SHOW <param>, the schema of SHOW TABLES FROM s. */
  | { kind: 'show'; what: ShowWhat; name?: string }
  /** `sql` is the text of the explained statement; `verbose` when EXPLAIN VERBOSE / (VERBOSE). */
  | { kind: 'explain'; statement: ParsedStatement; sql: string; verbose?: boolean }
  | { kind: 'drop'; objectKind: DropObjectKind; names: string[]; ifExists: boolean; cascade: boolean }
  /** `querySql` is the pre-processed SELECT text (re-parseable by pgsql-ast-parser); `sql` the whole statement. */
  | {
      kind: 'create_mv';
      name: string;
      ifNotExists: boolean;
      query: SelectStatement;
      querySql: string;
      emitOnWindowClose: boolean;
      sql: string;
    }
  | { kind: 'describe'; name: string }
  /** `authorization`: the owner named by AUTHORIZATION (null: the current user). */
  | { kind: 'create_schema'; name: string; ifNotExists: boolean; authorization: string | null }
  | { kind: 'create_database'; name: string };
