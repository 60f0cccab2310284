import type { ObjectInfo, ObjectStore, StreamingUpload } from './object-store.ts';
import { ioError } from '../storage-errors.ts';
import { createLogger, SqlState, StorageError } from '@tributary/common';

/** Operations faults can target. `upload` covers every write and the finish of a streaming upload. */
export type FaultOp = 'put' | 'upload' | 'get' | 'delete' | 'list';
const OPS: FaultOp[] = ['put', 'upload', 'get', 'delete', 'list'];

/** Per operation: probability of failing, and a delay before every call. */
export interface FaultSpec {
  fail: Partial<Record<FaultOp, number>>;
  delayMs: Partial<Record<FaultOp, number>>;
  seed: number;
}

/**
 * Parses `TRIBUTARY_OBJECT_STORE_FAULTS`: comma-separated `op:fail=p` (fail with probability p),
 * `op:delay=ms` (wait before each call), `*:...` for every op, and `seed=n` (deterministic draws).
 * Example: `upload:fail=0.2,get:delay=5,seed=7`.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { fail: {}, delayMs: {}, seed: 1 };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(?:(\*|put|upload|get|delete|list):)?(fail|delay|seed)=([0-9.]+)$/.exec(part);
    if (!m) throw new StorageError(SqlState.InvalidParameterValue, `invalid object store fault "${part}"`, { hint: 'expected op:fail=p, op:delay=ms or seed=n, op one of put, upload, get, delete, list, *' });
    const [, op, kind, raw] = m;
    const value = Number(raw);
    if (kind === 'seed') {
      spec.seed = value;
      continue;
    }
    if (!op) throw new StorageError(SqlState.InvalidParameterValue, `object store fault "${part}" names no operation`);
    for (const o of op === '*' ? OPS : [op as FaultOp]) (kind === 'fail' ? spec.fail : spec.delayMs)[o] = value;
  }
  return spec;
}

/**
 * Wraps a store and makes some calls fail or wait, as a flaky S3 would after its retries gave up:
 * fault tests drive the real engine through it (a failed upload must fail its checkpoint and
 * nothing partial may become visible). Never used unless configured.
 */
export class FaultInjectingObjectStore implements ObjectStore {
  private state: number;
  /** Calls failed so far, per op (tests and logs read it). */
  readonly injected: Record<FaultOp, number> = { put: 0, upload: 0, get: 0, delete: 0, list: 0 };

  constructor(
    private readonly inner: ObjectStore,
    private readonly spec: FaultSpec,
  ) {
    this.state = spec.seed >>> 0 || 1;
  }

  /** xorshift32: deterministic for a seed. */
  private draw(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  private readonly log = createLogger('object-store-faults');

  private async before(op: FaultOp, path: string): Promise<void> {
    const delay = this.spec.delayMs[op];
    if (delay) {
      // Fault tests watch for this line to know a write is in flight (e.g. to kill the process then).
      this.log.info({ op, path, delayMs: delay }, 'object store fault: delaying the call');
      await new Promise((r) => setTimeout(r, delay));
    }
    const p = this.spec.fail[op];
    if (p && this.draw() < p) {
      this.injected[op]++;
      throw ioError(path, op, new Error('injected object store fault'));
    }
  }

  async put(path: string, data: Uint8Array): Promise<void> {
    await this.before('put', path);
    return this.inner.put(path, data);
  }

  upload(path: string): StreamingUpload {
    const inner = this.inner.upload(path);
    return {
      write: async (data) => {
        await this.before('upload', path);
        return inner.write(data);
      },
      finish: async () => {
        await this.before('upload', path);
        return inner.finish();
      },
      abort: () => inner.abort(),
    };
  }

  async get(path: string): Promise<Uint8Array> {
    await this.before('get', path);
    return this.inner.get(path);
  }

  async getRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    await this.before('get', path);
    return this.inner.getRange(path, offset, length);
  }

  async delete(path: string): Promise<void> {
    await this.before('delete', path);
    return this.inner.delete(path);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    await this.before('list', prefix);
    return this.inner.list(prefix);
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
