import type { SstInfo } from '../version/sst-info.ts';

/** Input SSTs of one level of a compaction task. `level` 0 = L0 (then `subLevelIds` names the sub-levels). */
export interface CompactInput {
  level: number;
  /** For L0: the sub-levels the SSTs come from, newest first. */
  subLevelIds?: number[];
  /** For L0: newest sub-level first; for L1..L6: sorted by key. */
  ssts: SstInfo[];
}

export type CompactTaskKind = 'l0-to-base' | 'leveled' | 'trivial-move' | 'manual' | 'space-reclaim';

/**
 * A unit of compaction work, picked from a version by a pure picker. `inputs` are in read
 * priority order (newest data first): merging them in that order and keeping the first of equal
 * full keys gives the right result.
 */
export interface CompactTask {
  kind: CompactTaskKind;
  inputs: CompactInput[];
  /** Level (1..6) the outputs go to. */
  targetLevel: number;
  /** Outputs are the inputs themselves, unchanged (no I/O). */
  trivialMove: boolean;
  /** No level below `targetLevel` holds data in the task's key range: tombstones at or below safeEpoch may go. */
  bottommost: boolean;
  /** Versions at or below this epoch that are not the newest at-or-below one are dropped. */
  safeEpoch: bigint;
  targetFileSizeBytes: number;
  /** State tables of dropped relations: their keys are dropped whatever their epoch (stamped by meta). */
  droppedTableIds?: number[];
}

/** Every input SST of a task. */
export function taskInputSsts(task: CompactTask): SstInfo[] {
  return task.inputs.flatMap((i) => i.ssts);
}

/** Short human description (logs, ctl). */
export function describeTask(task: CompactTask): string {
  const ins = task.inputs.map((i) => `L${i.level}[${i.ssts.map((s) => s.id).join(',')}]`).join(' + ');
  return `${task.kind}${task.trivialMove ? ' (trivial)' : ''}: ${ins} -> L${task.targetLevel}`;
}

/** A task as JSON for the wire (meta → compactor): the safe epoch travels as a decimal string. */
export function taskToJson(task: CompactTask): string {
  return JSON.stringify({ ...task, safeEpoch: task.safeEpoch.toString() });
}

export function taskFromJson(json: string): CompactTask {
  const t = JSON.parse(json) as Omit<CompactTask, 'safeEpoch'> & { safeEpoch: string };
  return { ...t, safeEpoch: BigInt(t.safeEpoch) };
}
