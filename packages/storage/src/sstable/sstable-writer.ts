import type { ObjectStore, StreamingUpload } from '../object-store/object-store.ts';
import { concatBytes } from '../object-store/object-store.ts';
import { sstObjectPath, type SstInfo } from '../version/sst-info.ts';
import { compareUserKeyOfFull } from '../key/full-key.ts';
import { SstableBuilder } from './sstable-builder.ts';

export interface SstableWriterOptions {
  objectStore: ObjectStore;
  /** `<cluster>`: objects go to `<cluster>/sst/<id>.data`. */
  clusterPrefix: string;
  /** Fresh, never reused SST ids (meta's allocator). */
  allocateSstIds: (n: number) => Promise<number[]>;
  /** An SST is cut at the first user-key boundary past this size. */
  targetFileSizeBytes: number;
  blockSizeBytes?: number;
  /** Finished blocks are sent to the object store once this many bytes collect (default 8 MiB). */
  uploadPartBytes?: number;
  /** Told of each object path before its upload starts (meta keeps vacuum away from it). */
  onObject?: (objectPath: string) => void;
}

export const DEFAULT_UPLOAD_PART_BYTES = 8 * 1024 * 1024;

/**
 * Writes a sorted stream of entries as a run of SSTables, streaming each to the object store while
 * it is built: memory holds at most about one upload part per SST being written, never a whole SST.
 *
 * 1. `add` appends to the current builder. When finished blocks reach `uploadPartBytes` they go to
 *    the object's StreamingUpload (multipart on S3); the returned promise is the backpressure.
 * 2. Past `targetFileSizeBytes`, at a user-key boundary, the SST is finished (meta + footer, then
 *    the upload completes) in the background while the next one starts; one finish at a time, so
 *    outputs complete in key order.
 * 3. `finish` returns the SstInfos in key order. On any error call `abort`: the current upload is
 *    aborted and finished outputs are deleted.
 *
 * `add` returns undefined when the caller need not wait, so the hot loop allocates no promise.
 */
export class SstableWriter {
  private readonly partBytes: number;
  private builder: SstableBuilder;
  private current: { id: number; path: string; upload: StreamingUpload } | null = null;
  /** The previous SST's finish, still running. */
  private finishing: Promise<void> = Promise.resolve();
  private readonly outputs: SstInfo[] = [];
  /** Objects started (finished or not): what `abort` removes. */
  private readonly started: Array<{ path: string; upload: StreamingUpload }> = [];

  constructor(private readonly opts: SstableWriterOptions) {
    this.partBytes = opts.uploadPartBytes ?? DEFAULT_UPLOAD_PART_BYTES;
    this.builder = this.newBuilder();
  }

  private newBuilder(): SstableBuilder {
    return new SstableBuilder({ blockSizeBytes: this.opts.blockSizeBytes });
  }

  /** Adds an entry (full keys strictly ascending, value encoded as key/value.ts does). */
  add(fullKey: Uint8Array, encodedValue: Uint8Array): Promise<void> | undefined {
    const last = this.builder.lastKey();
    if (last !== null && this.builder.estimatedSizeBytes() >= this.opts.targetFileSizeBytes && compareUserKeyOfFull(last, fullKey) !== 0) {
      return this.rollThenAdd(fullKey, encodedValue);
    }
    this.builder.addEncoded(fullKey, encodedValue);
    return this.builder.pendingBytes() >= this.partBytes ? this.drain() : undefined;
  }

  private async rollThenAdd(fullKey: Uint8Array, encodedValue: Uint8Array): Promise<void> {
    await this.finishCurrent();
    this.builder.addEncoded(fullKey, encodedValue);
  }

  private async open(): Promise<{ id: number; path: string; upload: StreamingUpload }> {
    if (!this.current) {
      const [id] = await this.opts.allocateSstIds(1);
      const path = sstObjectPath(this.opts.clusterPrefix, id);
      this.opts.onObject?.(path);
      const upload = this.opts.objectStore.upload(path);
      this.started.push({ path, upload });
      this.current = { id, path, upload };
    }
    return this.current;
  }

  private async drain(): Promise<void> {
    const { upload } = await this.open();
    await upload.write(concatBytes(this.builder.drainBlocks()));
  }

  /** Starts finishing the current SST in the background (after the previous finish). */
  private async finishCurrent(): Promise<void> {
    if (this.builder.isEmpty()) return;
    const target = await this.open();
    const builder = this.builder;
    this.builder = this.newBuilder();
    this.current = null;
    const { tail, info } = builder.finishTail();
    await this.finishing; // one finish in flight; outputs complete in key order
    this.finishing = (async () => {
      await target.upload.write(tail);
      await target.upload.finish();
      this.outputs.push({ id: target.id, objectPath: target.path, ...info });
    })();
    this.finishing.catch(() => {}); // surfaced by the next await of this.finishing
  }

  /** Finishes the last SST; the outputs in key order (empty when nothing was added). */
  async finish(): Promise<SstInfo[]> {
    await this.finishCurrent();
    await this.finishing;
    return this.outputs;
  }

  /** Aborts the upload in progress and deletes every object this writer started. Never throws. */
  async abort(): Promise<void> {
    await this.finishing.catch(() => {});
    for (const s of this.started) {
      await s.upload.abort();
      await this.opts.objectStore.delete(s.path).catch(() => {});
    }
  }
}
