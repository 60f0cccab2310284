import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { concatBytes, type ObjectInfo, type ObjectStore, type StreamingUpload } from './object-store.ts';
import { ioError } from '../storage-errors.ts';

/** Options of an S3 (or S3-compatible: MinIO, s3rver) object store. */
export interface S3ObjectStoreOptions {
  bucket: string;
  /** Key prefix without leading/trailing slash ('' = bucket root). */
  prefix: string;
  /** Defaults to env AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS. */
  endpoint?: string;
  /** Defaults to env AWS_REGION, else us-east-1. */
  region?: string;
  /** Defaults to the SDK's default credential chain (env vars, profile, ...). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts per operation on 5xx / timeouts / connection errors (default 4). */
  maxAttempts?: number;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
  /** Part size of multipart uploads (default 16 MiB; S3's minimum is 5 MiB). Smaller objects go in one PUT. */
  partSizeBytes?: number;
}

/** Parts of one multipart upload in flight at once (the writer waits beyond that). */
const MAX_PARTS_IN_FLIGHT = 2;

const RETRY_BASE_MS = 100;

/** S3-backed object store. Transient faults (5xx, timeouts, resets) are retried with backoff. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly maxAttempts: number;
  readonly partSizeBytes: number;

  constructor(opts: S3ObjectStoreOptions) {
    this.partSizeBytes = Math.max(5 * 1024 * 1024, opts.partSizeBytes ?? 16 * 1024 * 1024);
    this.bucket = opts.bucket;
    this.prefix = opts.prefix.replace(/^\/+|\/+$/g, '');
    this.maxAttempts = opts.maxAttempts ?? 4;
    const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    this.client = new S3Client({
      region: opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1, // we retry ourselves, with our own classification
      requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
    });
  }

  private key(path: string): string {
    return this.prefix ? `${this.prefix}/${path}` : path;
  }

  async put(path: string, data: Uint8Array): Promise<void> {
    await this.retry(path, 'put', () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(path), Body: data, ContentLength: data.length })),
    );
  }

  upload(path: string): StreamingUpload {
    return new S3MultipartUpload(this, path);
  }

  /** @internal S3MultipartUpload's calls (key mapping, client and retries stay here). */
  async createMultipart(path: string): Promise<string> {
    const res = await this.retry(path, 'upload', () => this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key(path) })));
    return res.UploadId!;
  }

  /** @internal */
  async uploadPart(path: string, uploadId: string, partNumber: number, data: Uint8Array): Promise<string> {
    const res = await this.retry(path, 'upload', () =>
      this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: this.key(path), UploadId: uploadId, PartNumber: partNumber, Body: data, ContentLength: data.length })),
    );
    return res.ETag!;
  }

  /** @internal */
  async completeMultipart(path: string, uploadId: string, etags: string[]): Promise<void> {
    await this.retry(path, 'upload', () =>
      this.client.send(new CompleteMultipartUploadCommand({
        Bucket: this.bucket, Key: this.key(path), UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      })),
    );
  }

  /** @internal */
  async abortMultipart(path: string, uploadId: string): Promise<void> {
    await this.retry(path, 'upload', () => this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key(path), UploadId: uploadId })));
  }

  async get(path: string): Promise<Uint8Array> {
    return this.retry(path, 'get', async () => {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(path) }));
      return res.Body!.transformToByteArray();
    });
  }

  async getRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    return this.retry(path, 'getRange', async () => {
      try {
        const res = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: this.key(path), Range: `bytes=${offset}-${offset + length - 1}` }),
        );
        const bytes = await res.Body!.transformToByteArray();
        // A server that ignores Range returns the whole object.
        return bytes.length > length ? bytes.subarray(offset, offset + length) : bytes;
      } catch (err) {
        if (statusOf(err) === 416) return new Uint8Array(0); // range starts past the end
        throw err;
      }
    });
  }

  async delete(path: string): Promise<void> {
    await this.retry(path, 'delete', () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(path) })));
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    let token: string | undefined;
    do {
      const res = await this.retry(prefix, 'list', () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(prefix), ContinuationToken: token }),
        ),
      );
      for (const o of res.Contents ?? []) out.push({ path: o.Key!.slice(strip), size: o.Size ?? 0 });
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async retry<T>(path: string, what: string, op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (err) {
        if (attempt >= this.maxAttempts || !isTransient(err)) throw ioError(path, what, err);
        const delayMs = RETRY_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random());
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'SlowDown', 'ThrottlingException', 'InternalError', 'ServiceUnavailable']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  const e = err as { name?: string; code?: string };
  return TRANSIENT_NAMES.has(e?.name ?? '') || TRANSIENT_CODES.has(e?.code ?? '');
}

/**
 * A multipart upload: bytes collect into parts of `partSizeBytes`; each full part is sent while the
 * writer goes on (at most MAX_PARTS_IN_FLIGHT at once). An object smaller than one part is sent
 * with one PUT at `finish`. Nothing is visible before CompleteMultipartUpload; `abort` (or S3's
 * lifecycle rule for incomplete uploads, after a crash) discards the parts.
 */
class S3MultipartUpload implements StreamingUpload {
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private uploadId: Promise<string> | null = null;
  private readonly parts: Array<Promise<string>> = [];
  private failed: unknown = null;

  constructor(
    private readonly store: S3ObjectStore,
    private readonly path: string,
  ) {}

  async write(data: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    this.buffered.push(data);
    this.bufferedBytes += data.length;
    while (this.bufferedBytes >= this.store.partSizeBytes) {
      const all = concatBytes(this.buffered, this.bufferedBytes);
      const part = all.subarray(0, this.store.partSizeBytes);
      const rest = all.subarray(this.store.partSizeBytes);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
      await this.sendPart(part);
    }
  }

  private async sendPart(data: Uint8Array): Promise<void> {
    this.uploadId ??= this.store.createMultipart(this.path);
    const partNumber = this.parts.length + 1;
    const sent = this.uploadId.then((id) => this.store.uploadPart(this.path, id, partNumber, data));
    sent.catch((err) => (this.failed ??= err));
    this.parts.push(sent);
    // Backpressure: wait for the oldest part beyond the in-flight limit.
    const waitFor = this.parts.length - MAX_PARTS_IN_FLIGHT;
    if (waitFor > 0) await this.parts[waitFor - 1];
  }

  async finish(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.uploadId === null) {
      await this.store.put(this.path, concatBytes(this.buffered, this.bufferedBytes));
      return;
    }
    if (this.bufferedBytes > 0) await this.sendPart(concatBytes(this.buffered, this.bufferedBytes));
    this.buffered = [];
    const etags = await Promise.all(this.parts);
    await this.store.completeMultipart(this.path, await this.uploadId, etags);
  }

  async abort(): Promise<void> {
    this.buffered = [];
    if (this.uploadId === null) return;
    await Promise.allSettled(this.parts);
    try {
      await this.store.abortMultipart(this.path, await this.uploadId);
    } catch {
      /* the bucket's lifecycle rule for incomplete multipart uploads cleans it up */
    }
  }
}
