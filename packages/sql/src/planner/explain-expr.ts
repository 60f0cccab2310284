import type { DataType, Expr } from '@tributary/common';

/** RisingWave's display names of types in EXPLAIN (`10:Int32`, `x::Decimal`). */
const RW_TYPE: Record<DataType, string> = {
  boolean: 'Boolean', smallint: 'Int16', integer: 'Int32', bigint: 'Int64', real: 'Float32',
  'double precision': 'Float64', numeric: 'Decimal', 'character varying': 'Varchar', bytea: 'Bytea',
  date: 'Date', 'time without time zone': 'Time', 'timestamp without time zone': 'Timestamp',
  'timestamp with time zone': 'Timestamptz', interval: 'Interval', jsonb: 'Jsonb',
};

const INFIX: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '=': '=', '<>': '<>', '<': '<', '<=': '<=',
  '>': '>', '>=': '>=', and: 'AND', or: 'OR', '||': '||', like: 'LIKE',
};

const PREFIX: Record<string, string> = { not: 'Not', neg: 'Neg', is_null: 'IsNull', is_not_null: 'IsNotNull' };

export function rwTypeName(t: DataType): string {
  return RW_TYPE[t];
}

/** An expression as RisingWave's EXPLAIN prints it; `names` are the input column names. */
export function explainExpr(e: Expr, names: readonly string[]): string {
  switch (e.kind) {
    case 'input': return names[e.index] ?? `$${e.index}`;
    case 'literal': {
      const v = e.value;
      const text = v === null ? 'null' : typeof v === 'string' && e.type === 'character varying' ? `'${v}'` : String(v);
      return `${text}:${RW_TYPE[e.type]}`;
    }
    case 'call': {
      const args = e.args.map((a) => explainExpr(a, names));
      if (e.func === 'cast') return `${args[0]}::${RW_TYPE[e.type]}`;
      const infix = INFIX[e.func];
      if (infix && args.length === 2) return `(${args[0]} ${infix} ${args[1]})`;
      const prefix = PREFIX[e.func] ?? e.func.charAt(0).toUpperCase() + e.func.slice(1);
      return `${prefix}(${args.join(', ')})`;
    }
    default: return '?';
  }
}
