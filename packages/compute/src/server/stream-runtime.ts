import { createLogger, DbError, decodeChunk, SqlState, type ActorDesc, type DataType } from '@tributary/common';
import type { HummockStateStore } from '@tributary/storage';
import { Actor } from '../stream/actor.ts';
import { Dispatcher } from '../stream/dispatcher.ts';
import { buildActorExecutors } from '../stream/from-plan/build-executor.ts';
import type { LocalBarrierManager } from '../stream/local-barrier-manager.ts';
import { ExchangeRegistry } from '../exchange/exchange-registry.ts';
import { openRemoteInput } from '../exchange/remote-input.ts';
import type { Channel } from '../stream/channel.ts';
import type { Message } from '../stream/message.ts';
import { CommittedEpoch } from '../stream/committed-epoch.ts';
import { StreamErrorLog } from '../stream/expr-error/stream-error-log.ts';

/**
 * The actors of one compute node: builds them from meta's descriptions, wires their exchange
 * links (local channels, or gRPC pulls from remote nodes), runs them, and tears everything down
 * on reset.
 */
export class StreamRuntime {
  private readonly log = createLogger('stream-runtime');
  readonly exchange = new ExchangeRegistry();
  private actors = new Map<number, { actor: Actor; done: Promise<void>; cancels: Array<() => void> }>();
  /** table id -> DML actor ids on this node. */
  private readonly tableActors = new Map<number, Set<number>>();
  /** Max committed epoch of the installed version (rebalanced actors wait on it). */
  readonly committed = new CommittedEpoch();
  /** Data errors in the actors' expressions (values made NULL), reported to meta. */
  readonly exprErrors = new StreamErrorLog();

  constructor(
    private readonly selfAddress: string,
    private readonly store: HummockStateStore,
    private readonly barriers: LocalBarrierManager,
    private readonly onActorError: (actorId: number, err: Error) => void,
  ) {}

  build(descs: ActorDesc[]): void {
    for (const desc of descs) {
      if (this.actors.has(desc.actorId)) throw new Error(`actor ${desc.actorId} already exists`);
      const cancels: Array<() => void> = [];
      const built = buildActorExecutors({
        desc,
        store: this.store,
        openInputs: (upFragment, types) => (desc.upstreams[upFragment] ?? []).map((up) => this.input(up.actorId, up.address, desc.actorId, types, cancels)),
        reportBackfill: (b, p) => this.barriers.reportBackfill(b, { actorId: desc.actorId, ...p }),
        openInput: (up, types) => this.input(up.actorId, up.address, desc.actorId, types, cancels),
        reportExprError: (executor, err) => this.exprErrors.record(desc, executor, err),
      });
      const dispatchers = this.makeDispatchers(desc.actorId, desc.dispatchers, built.root.schema);
      const actor = new Actor(desc, built.root, dispatchers, {
        makeDispatchers: (d, types) => this.makeDispatchers(desc.actorId, d, types),
        dropOutput: (down) => this.exchange.remove(desc.actorId, down),
        collect: (id, b) => this.barriers.collect(id, b),
        fail: (id, err) => this.onActorError(id, err),
        waitCommitted: (epoch) => this.committed.wait(epoch),
      });
      if (built.dmlInbox) {
        this.barriers.addSource(desc.actorId, built.dmlInbox);
        const tableId = desc.jobId;
        const set = this.tableActors.get(tableId) ?? new Set<number>();
        set.add(desc.actorId);
        this.tableActors.set(tableId, set);
      }
      const done = actor.run().finally(() => this.onActorExit(desc.actorId));
      this.actors.set(desc.actorId, { actor, done, cancels });
    }
    this.log.debug({ actors: descs.map((d) => d.actorId) }, 'actors built');
  }

  private input(up: number, address: string, down: number, types: DataType[], cancels: Array<() => void>): Channel<Message> {
    if (address === this.selfAddress) return this.exchange.input(up, down);
    const remote = openRemoteInput(address, up, down, types, (err) => this.onActorError(down, err));
    cancels.push(remote.cancel);
    return remote.channel;
  }

  private makeDispatchers(actorId: number, descs: ActorDesc['dispatchers'], types: DataType[]): Dispatcher[] {
    return descs.map((d) => new Dispatcher(d, d.outputs.map((o) => ({ actorId: o.actorId, channel: this.exchange.output(actorId, o.actorId, types) })), types));
  }

  private onActorExit(actorId: number): void {
    const entry = this.actors.get(actorId);
    if (!entry) return;
    for (const c of entry.cancels) c();
    this.actors.delete(actorId);
    this.barriers.removeSource(actorId);
    for (const set of this.tableActors.values()) set.delete(actorId);
  }

  /** Writes a DML chunk into a table actor; resolves once the actor emitted it. */
  async dml(tableId: number, actorId: number, chunkBytes: Uint8Array, types: DataType[]): Promise<bigint> {
    const inbox = this.barriers.source(actorId);
    if (!inbox || !this.tableActors.get(tableId)?.has(actorId)) {
      throw new DbError(SqlState.ObjectNotInPrerequisiteState, `table ${tableId} has no writer actor ${actorId} on this node (the cluster may be recovering); retry`);
    }
    const chunk = decodeChunk(types, chunkBytes);
    return new Promise<bigint>((resolve, reject) => {
      const waiter = { resolve: () => {}, reject };
      this.dmlWaiters.add(waiter);
      const settle = () => this.dmlWaiters.delete(waiter);
      inbox.send({ kind: 'chunk', chunk, done: (epoch) => { settle(); resolve(epoch); } }).catch((e) => { settle(); reject(e); });
      if (inbox.isClosed) {
        settle();
        reject(new DbError(SqlState.ObjectNotInPrerequisiteState, 'table writer was reset; retry'));
      }
    });
  }

  /** DML writes waiting for their actor; failed on reset (the write may not have happened). */
  private readonly dmlWaiters = new Set<{ resolve(): void; reject(e: Error): void }>();

  /** Output schema of a local DML actor's table (for decoding DML chunks). */
  dmlTypes(actorId: number): DataType[] | undefined {
    const entry = this.actors.get(actorId);
    if (!entry) return undefined;
    let node = entry.actor.desc.node;
    while (node.kind !== 'dml' && node.kind !== 'source') {
      if (!('input' in node)) return undefined;
      node = node.input;
    }
    return node.schema;
  }

  /** Stops every actor and closes every link. */
  async reset(): Promise<void> {
    const entries = [...this.actors.values()];
    for (const e of entries) {
      e.actor.stop();
      for (const c of e.cancels) c();
    }
    this.committed.reset();
    await this.barriers.reset();
    this.exchange.clear();
    for (const w of this.dmlWaiters) w.reject(new DbError(SqlState.ObjectNotInPrerequisiteState, 'the cluster is recovering; the write was not applied, retry'));
    this.dmlWaiters.clear();
    await Promise.race([Promise.all(entries.map((e) => e.done)), new Promise((r) => setTimeout(r, 3000))]);
    this.actors.clear();
    this.tableActors.clear();
  }

  get actorCount(): number {
    return this.actors.size;
  }
}
