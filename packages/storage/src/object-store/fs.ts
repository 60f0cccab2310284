import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { ObjectInfo, ObjectStore, StreamingUpload } from './object-store.ts';
import { ioError } from '../storage-errors.ts';

const TMP_SUFFIX = '.tmp-';

/**
 * Object store on a local directory. `put` writes a temp file, fsyncs it and renames it over the
 * target, so a crash leaves either the old object or the new one, never a partial one.
 */
export class FsObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  private abs(path: string): string {
    if (path.split('/').includes('..')) throw ioError(path, 'resolve', new Error('path escapes the root'));
    return join(this.root, path);
  }

  async put(path: string, data: Uint8Array): Promise<void> {
    const target = this.abs(path);
    const tmp = `${target}${TMP_SUFFIX}${randomBytes(6).toString('hex')}`;
    try {
      await mkdir(dirname(target), { recursive: true });
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, target);
      await syncDir(dirname(target));
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      throw ioError(path, 'put', err);
    }
  }

  upload(path: string): StreamingUpload {
    return new FsUpload(path, this.abs(path));
  }

  async get(path: string): Promise<Uint8Array> {
    try {
      const buf = await readFile(this.abs(path));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      throw ioError(path, 'get', err);
    }
  }

  async getRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    let fh;
    try {
      fh = await open(this.abs(path), 'r');
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(out, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? out : out.subarray(0, got);
    } catch (err) {
      throw ioError(path, 'getRange', err);
    } finally {
      await fh?.close();
    }
  }

  async delete(path: string): Promise<void> {
    try {
      await rm(this.abs(path), { force: true });
    } catch (err) {
      throw ioError(path, 'delete', err);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    // Walk only the deepest directory the prefix names fully.
    const slash = prefix.lastIndexOf('/');
    const startDir = join(this.root, slash >= 0 ? prefix.slice(0, slash) : '');
    await this.walk(startDir, prefix, out);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private async walk(dir: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw ioError(dir, 'list', err);
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      const rel = relative(this.root, abs).split(sep).join('/');
      if (e.isDirectory()) {
        if (rel.startsWith(prefix) || prefix.startsWith(rel + '/')) await this.walk(abs, prefix, out);
      } else if (e.isFile() && rel.startsWith(prefix) && !e.name.includes(TMP_SUFFIX)) {
        out.push({ path: rel, size: (await stat(abs)).size });
      }
    }
  }
}

/** fsync the directory so the rename itself is durable (best effort: not every platform allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* ignore: directories cannot be fsynced on some platforms */
  }
}

/** Appends to a temp file; `finish` fsyncs and renames it over the target (as `put` does). */
class FsUpload implements StreamingUpload {
  private readonly tmp: string;
  private fh: FileHandle | null = null;

  constructor(
    private readonly path: string,
    private readonly target: string,
  ) {
    this.tmp = `${target}${TMP_SUFFIX}${randomBytes(6).toString('hex')}`;
  }

  private async handle(): Promise<FileHandle> {
    if (!this.fh) {
      await mkdir(dirname(this.target), { recursive: true });
      this.fh = await open(this.tmp, 'w');
    }
    return this.fh;
  }

  async write(data: Uint8Array): Promise<void> {
    try {
      const fh = await this.handle();
      let off = 0;
      while (off < data.length) off += (await fh.write(data, off, data.length - off)).bytesWritten;
    } catch (err) {
      throw ioError(this.path, 'upload', err);
    }
  }

  async finish(): Promise<void> {
    try {
      const fh = await this.handle();
      await fh.sync();
      await fh.close();
      this.fh = null;
      await rename(this.tmp, this.target);
      await syncDir(dirname(this.target));
    } catch (err) {
      throw ioError(this.path, 'upload', err);
    }
  }

  async abort(): Promise<void> {
    await this.fh?.close().catch(() => {});
    this.fh = null;
    await rm(this.tmp, { force: true }).catch(() => {});
  }
}
