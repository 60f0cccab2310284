import { DbError, SqlState, TYPE_ALIASES, notSupported, type DataType } from '@tributary/common';
import type { DataTypeDef } from 'pgsql-ast-parser';

/**
 * Resolves a type name as written (`int`, `varchar(10)`, `double precision`, `timestamptz`) to a
 * DataType. Length / precision modifiers are accepted and ignored (like RisingWave).
 * Throws 42704 for unknown names and 0A000 for arrays.
 */
export function bindDataType(def: DataTypeDef): DataType {
  if (def.kind === 'array') throw notSupported('array types');
  const raw = def.schema && def.schema !== 'pg_catalog' ? `${def.schema}.${def.name}` : def.name;
  const key = def.doubleQuoted ? raw : raw.toLowerCase();
  const type = TYPE_ALIASES[key];
  if (type === undefined) throw new DbError(SqlState.UndefinedObject, `type "${raw}" does not exist`);
  return type;
}

/** PostgreSQL's internal name of a type as written, used for output column names (`1::int` -> `int4`). */
export function pgTypeName(def: DataTypeDef): string {
  if (def.kind === 'array') return '?column?';
  const name = def.name.toLowerCase();
  const special: Record<string, string> = {
    int: 'int4', integer: 'int4', int4: 'int4', bigint: 'int8', int8: 'int8', smallint: 'int2',
    int2: 'int2', real: 'float4', float4: 'float4', 'double precision': 'float8', float8: 'float8',
    float: 'float8', double: 'float8', decimal: 'numeric', numeric: 'numeric',
    'character varying': 'varchar', varchar: 'varchar', text: 'text', boolean: 'bool', bool: 'bool',
    'timestamp without time zone': 'timestamp', 'timestamp with time zone': 'timestamptz',
    'time without time zone': 'time', char: 'bpchar', character: 'bpchar',
  };
  return special[name] ?? name;
}
