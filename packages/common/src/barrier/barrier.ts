import type { Epoch } from '../epoch/epoch.ts';

export type BarrierKind = 'initial' | 'barrier' | 'checkpoint';

/** Where an actor's output goes: one downstream actor on some worker. */
export interface ActorOutput {
  actorId: number;
  /** gRPC address of the compute node running it. */
  address: string;
}

/** An actor's output router for one downstream fragment. */
export type DispatcherDesc =
  | { kind: 'hash'; downstreamFragmentId: number; keys: number[]; keysAreRowId?: boolean; outputs: ActorOutput[]; /** vnode -> index in outputs */ vnodeMap: number[] }
  | { kind: 'noShuffle'; downstreamFragmentId: number; outputs: [ActorOutput] }
  | { kind: 'simple'; downstreamFragmentId: number; outputs: [ActorOutput] }
  | { kind: 'broadcast'; downstreamFragmentId: number; outputs: ActorOutput[] };

/** Configuration changes that ride on a barrier. */
export type Mutation =
  /** New actors: existing upstream actors add these dispatchers, then forward this barrier. */
  | { kind: 'add'; adds: Record<number, DispatcherDesc[]> }
  /** Actors to stop; upstreams drop outputs to them after forwarding this barrier. */
  | { kind: 'stop'; actors: number[] }
  /** Online rebalance (RisingWave's `Update`): actors move to other workers; see UpdateMutation. */
  | UpdateMutation
  | { kind: 'pause' }
  | { kind: 'resume' };

/** A merge's change of inputs from one upstream fragment (rebalance). */
export interface MergeUpdate {
  upstreamFragmentId: number;
  /** New upstream actors; the first message of each is this barrier (read and dropped). */
  added: ActorOutput[];
  /** Upstream actors whose input leaves the merge after this barrier. */
  removed: number[];
}

/**
 * Moves actors between workers on one checkpoint barrier B (prev = e1, curr = e2):
 *
 * 1. New actors are built before B and start with it; they read state at e1 only once e1 is
 *    committed (the old actors wrote it on another node), so B is always a checkpoint.
 * 2. Upstream actors named in `dispatchers` send B to their old and new outputs, then replace
 *    their dispatchers and close links to outputs they no longer have.
 * 3. Downstream merges named in `merges` align B on their old inputs, add the new inputs (whose
 *    first message is B) and drop the removed ones.
 * 4. Actors in `stops` forward B, close their outputs and end.
 */
export interface UpdateMutation {
  kind: 'update';
  /** Upstream actor -> its complete new list of dispatchers. */
  dispatchers: Record<number, DispatcherDesc[]>;
  /** Downstream actor -> input changes per upstream fragment. */
  merges: Record<number, MergeUpdate[]>;
  stops: number[];
}

export interface Barrier {
  prevEpoch: Epoch;
  currEpoch: Epoch;
  kind: BarrierKind;
  mutation?: Mutation;
}

export function isCheckpoint(b: Barrier): boolean {
  return b.kind !== 'barrier';
}

export function barrierToJson(b: Barrier): string {
  return JSON.stringify({ ...b, prevEpoch: b.prevEpoch.toString(), currEpoch: b.currEpoch.toString() });
}

export function barrierFromJson(s: string): Barrier {
  const o = JSON.parse(s);
  return { ...o, prevEpoch: BigInt(o.prevEpoch), currEpoch: BigInt(o.currEpoch) };
}
