import { BufferedUpload, type ObjectInfo, type ObjectStore, type StreamingUpload } from './object-store.ts';
import { ioError } from '../storage-errors.ts';

/** In-memory object store for tests. Stores copies, so callers may reuse their buffers. */
export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();

  async put(path: string, data: Uint8Array): Promise<void> {
    this.objects.set(path, Uint8Array.prototype.slice.call(data));
  }

  upload(path: string): StreamingUpload {
    return new BufferedUpload(path, (p, d) => this.put(p, d));
  }

  async get(path: string): Promise<Uint8Array> {
    const data = this.objects.get(path);
    if (!data) throw ioError(path, 'get', new Error('no such object'));
    return data.slice();
  }

  async getRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    const data = this.objects.get(path);
    if (!data) throw ioError(path, 'getRange', new Error('no such object'));
    return data.slice(offset, offset + length);
  }

  async delete(path: string): Promise<void> {
    this.objects.delete(path);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    for (const [path, data] of this.objects) if (path.startsWith(prefix)) out.push({ path, size: data.length });
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Test hook: direct access to the stored bytes (mutations corrupt the object in place). */
  raw(path: string): Uint8Array | undefined {
    return this.objects.get(path);
  }

  /** Test hook: replaces an object's bytes without copying. */
  setRaw(path: string, data: Uint8Array): void {
    this.objects.set(path, data);
  }
}
