/** Metadata of one uploaded SSTable, as recorded in a HummockVersion. */
export interface SstInfo {
  id: number;
  objectPath: string;
  /** Hex of the smallest full key in the SST. */
  smallestKey: string;
  /** Hex of the largest full key in the SST. */
  largestKey: string;
  fileSize: number;
  /** Smallest epoch of any entry, decimal bigint. */
  minEpoch: string;
  /** Largest epoch of any entry, decimal bigint. */
  maxEpoch: string;
  /** Distinct table ids present, ascending. */
  tableIds: number[];
  keyCount: number;
}

/** Object path of SST `id`: `<clusterPrefix>/sst/<id>.data`. */
export function sstObjectPath(clusterPrefix: string, id: number): string {
  return clusterPrefix ? `${clusterPrefix}/sst/${id}.data` : `sst/${id}.data`;
}
