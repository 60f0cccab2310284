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
  | { kind: 'pause' }
  | { kind: 'resume' };

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
