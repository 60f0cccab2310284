/** Change kind of one row in a stream chunk (RisingWave's `Op`). */
export const Op = {
  Insert: 0,
  Delete: 1,
  UpdateDelete: 2,
  UpdateInsert: 3,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** True for Insert and UpdateInsert. */
export function isInsertOp(op: number): boolean {
  return op === Op.Insert || op === Op.UpdateInsert;
}

export const OP_PRETTY = ['+', '-', 'U-', 'U+'] as const;
