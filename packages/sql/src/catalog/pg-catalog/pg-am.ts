import type { SystemRelationDef } from '../system-relation.ts';
import { BTREE_AM_OID, HEAP_AM_OID } from '../oids.ts';

export const pgAm: SystemRelationDef = {
  schema: 'pg_catalog', name: 'pg_am', oid: 2601,
  columns: [['oid', 'integer'], ['amname', 'character varying'], ['amhandler', 'character varying'], ['amtype', 'character varying']],
  rows: () => [[HEAP_AM_OID, 'heap', 'heap_tableam_handler', 't'], [BTREE_AM_OID, 'btree', 'bthandler', 'i']],
};
