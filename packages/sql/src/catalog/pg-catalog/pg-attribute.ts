import { TYPE_LEN, TYPE_OID, type Datum } from '@tributary/common';
import type { SystemRelationDef } from '../system-relation.ts';
import { relationOid } from '../oids.ts';
import { visibleColumns } from '../visible-columns.ts';

/** The visible columns of every user relation; NOT NULL as declared (primary-key columns included). */
export const pgAttribute: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_attribute', oid: 1249,
  columns: [
    ['attrelid', 'integer'], ['attname', 'character varying'], ['atttypid', 'integer'], ['attstattarget', 'integer'],
    ['attlen', 'smallint'], ['attnum', 'smallint'], ['attndims', 'integer'], ['atttypmod', 'integer'],
    ['attnotnull', 'boolean'], ['atthasdef', 'boolean'], ['atthasmissing', 'boolean'], ['attidentity', 'character varying'],
    ['attgenerated', 'character varying'], ['attisdropped', 'boolean'], ['attislocal', 'boolean'],
    ['attinhcount', 'integer'], ['attcollation', 'integer'], ['attstorage', 'character varying'],
    ['attcompression', 'character varying'], ['attoptions', 'character varying'], ['attfdwoptions', 'character varying'],
  ],
  rows: (source) => {
    const rows: Datum[][] = [];
    for (const t of source.relations()) {
      for (const { column, index, attnum } of visibleColumns(t)) {
        const notNull = t.kind === 'table' && (column.notNull === true || t.userPk.includes(index));
        rows.push([
          relationOid(t), column.name, TYPE_OID[column.type], -1, TYPE_LEN[column.type], attnum, 0, -1,
          notNull, false, false, '', '', false, true, 0, 0, 'p', '', null, null,
        ]);
      }
    }
    return rows;
  },
};
