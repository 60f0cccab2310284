import type { Datum } from '@tributary/common';
import type { SystemRelationDef } from '../system-relation.ts';
import { BTREE_AM_OID, HEAP_AM_OID, namespaceOids, pkIndexName, pkIndexOid, relationOid, userOids } from '../oids.ts';
import { visibleColumns } from '../visible-columns.ts';

/** Tables (relkind 'r'), materialized views ('m') and primary-key indexes ('i'). */
export const pgClass: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_class', oid: 1259,
  columns: [
    ['oid', 'integer'], ['relname', 'character varying'], ['relnamespace', 'integer'], ['reltype', 'integer'],
    ['reloftype', 'integer'], ['relowner', 'integer'], ['relam', 'integer'], ['relfilenode', 'integer'],
    ['reltablespace', 'integer'], ['relpages', 'integer'], ['reltuples', 'real'], ['reltoastrelid', 'integer'],
    ['relhasindex', 'boolean'], ['relisshared', 'boolean'], ['relpersistence', 'character varying'],
    ['relkind', 'character varying'], ['relnatts', 'smallint'], ['relchecks', 'smallint'], ['relhasrules', 'boolean'],
    ['relhastriggers', 'boolean'], ['relhassubclass', 'boolean'], ['relrowsecurity', 'boolean'],
    ['relforcerowsecurity', 'boolean'], ['relispopulated', 'boolean'], ['relreplident', 'character varying'],
    ['relispartition', 'boolean'], ['relacl', 'character varying'], ['reloptions', 'character varying'],
  ],
  rows: (source) => {
    const owners = userOids(source.users());
    const namespaces = namespaceOids(source.schemas());
    const rows: Datum[][] = [];
    for (const t of source.relations()) {
      const owner = owners.get(t.owner) ?? 0;
      const hasPk = t.kind === 'table' && t.userPk.length > 0;
      const row = (oid: number, name: string, am: number, kind: string, natts: number, hasIndex: boolean): Datum[] => [
        oid, name, namespaces.get(t.schemaName) ?? 0, 0, 0, owner, am, oid, 0, 0, -1, 0, hasIndex, false, 'p', kind, natts, 0,
        false, false, false, false, false, true, 'd', false, null, null,
      ];
      // A source is shown as a foreign table: psql's \d lists it, and it stores nothing.
      const relkind = t.kind === 'table' ? 'r' : t.kind === 'source' ? 'f' : 'm';
      rows.push(row(relationOid(t), t.name, HEAP_AM_OID, relkind, visibleColumns(t).length, hasPk));
      if (hasPk) rows.push(row(pkIndexOid(t), pkIndexName(t), BTREE_AM_OID, 'i', t.userPk.length, false));
    }
    return rows;
  },
};
