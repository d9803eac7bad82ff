// Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, Scaleway …): for several
// nodes, which then share the files as they share the database. Credentials come
// from the SDK's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a
// profile, an instance role); bucket, endpoint and region from FILES_S3_*.
import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { FileStore } from "./index";
import { checkKey } from "./key";

export interface S3Options {
  bucket: string;
  /** An S3-compatible server's URL; none: AWS. With one, paths are bucket-first (path-style), as most such servers expect. */
  endpoint: string | null;
  region: string;
  /** Tests hand credentials in; otherwise the SDK finds them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export class S3FileStore implements FileStore {
  readonly kind = "s3" as const;
  readonly client: S3Client;

  constructor(readonly options: S3Options) {
    this.client = new S3Client({
      region: options.region,
      // Other S3-compatible servers: bucket-first paths, and checksums only where S3 requires
      // them (the SDK's default since 2025 streams uploads as aws-chunked with a trailing
      // CRC, which many such servers do not speak yet).
      ...(options.endpoint
        ? { endpoint: options.endpoint, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" as const, responseChecksumValidation: "WHEN_REQUIRED" as const }
        : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async put(key: string, body: Readable | Buffer, meta: { size: number; type: string }): Promise<void> {
    // A stream needs its length up front (S3 refuses an upload of unknown length without multipart).
    await this.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key), Body: body, ContentLength: meta.size, ContentType: meta.type }),
    );
  }

  async get(key: string): Promise<Readable | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
      return (res.Body as Readable | undefined) ?? null;
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
  }
}
