import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { CLEAN_SCAN_STATUS, MAX_EVIDENCE_BYTES, SCAN_STATUS_TAG } from '../domain/evidence.js';
import type { EvidenceStore, PresignedUpload, RetentionClass } from '../domain/ports.js';
import { ArchiveError, retryableErrorFor } from './errors.js';
import { ARCHIVED_AT_METADATA, defaultS3Client, RETENTION_TAG } from './s3-archive.js';

export interface S3EvidenceOptions {
  /** The records archive's bucket: evidence is kept beside the case files, under `evidence/`. */
  bucket: string;
  client?: S3Client;
}

/**
 * `EvidenceStore` over the archive bucket. The resident's browser sends each file straight to S3
 * with a presigned POST whose policy fixes the key and caps the size; this adapter never sees the
 * upload. Downloads are short presigned GETs, given out only once the object's scan tag says clean
 * (the bucket policy denies reading any other evidence object on AWS as well).
 */
export class S3EvidenceStore implements EvidenceStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3EvidenceOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? defaultS3Client();
  }

  async presignUpload(
    key: string,
    options: { expiresSeconds: number; redirect?: string },
  ): Promise<PresignedUpload> {
    const fields: Record<string, string> = options.redirect
      ? { success_action_redirect: options.redirect }
      : {};
    const post = await this.call('presign an upload to', key, async () => {
      // Imported here: only the API's upload page presigns, and the steps and the scan-result
      // function that keep evidence would otherwise load its 74 KB at every cold start.
      const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
      return createPresignedPost(this.client, {
        Bucket: this.bucket,
        Key: key,
        // S3 refuses anything larger before storing it, and empty bodies too.
        Conditions: [['content-length-range', 1, MAX_EVIDENCE_BYTES]],
        Fields: fields,
        Expires: options.expiresSeconds,
      });
    });
    return { url: post.url, fields: post.fields };
  }

  async head(key: string): Promise<{ size: number; etag?: string } | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, ...(head.ETag ? { etag: head.ETag } : {}) };
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw this.mapError('look at', key, error);
    }
  }

  async read(key: string): Promise<{ bytes: Uint8Array; etag?: string } | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = await object.Body?.transformToByteArray();
      if (bytes === undefined) return undefined;
      return { bytes, ...(object.ETag ? { etag: object.ETag } : {}) };
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw this.mapError('read', key, error);
    }
  }

  async scanStatus(key: string): Promise<string | undefined> {
    const tags = await this.tags(key);
    return tags?.find((t) => t.Key === SCAN_STATUS_TAG)?.Value;
  }

  async remove(key: string): Promise<void> {
    await this.call('delete', key, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
  }

  async downloadUrl(key: string, filename: string, expiresSeconds: number): Promise<string> {
    return this.call('sign a download of', key, () =>
      getSignedUrl(
        this.client,
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename="${filename}"`,
        }),
        { expiresIn: expiresSeconds },
      ),
    );
  }

  async retain(keys: readonly string[], retention: RetentionClass, archivedAt?: string): Promise<void> {
    for (const key of keys) {
      const tags = await this.tags(key);
      if (tags === undefined) continue; // rejected files were deleted: nothing to keep
      // PutObjectTagging and a copy's tags replace the whole set: keep the scan result.
      const kept = [...tags.filter((t) => t.Key !== RETENTION_TAG), { Key: RETENTION_TAG, Value: retention }];
      // Only a clean file may be read, so only a clean file is copied; one still being scanned at
      // closure keeps its age from upload (it expires at most the case's length early).
      const clean = tags.some((t) => t.Key === SCAN_STATUS_TAG && t.Value === CLEAN_SCAN_STATUS);
      if (archivedAt && clean) {
        // As for letters: S3 counts lifecycle days from creation, so copying the file onto itself
        // at closure makes it expire with the case file. The copy carries the tags, so it needs no
        // PutObjectTagging after it.
        await this.call('archive', key, () =>
          this.client.send(
            new CopyObjectCommand({
              Bucket: this.bucket,
              Key: key,
              CopySource: `${this.bucket}/${key}`,
              MetadataDirective: 'REPLACE',
              Metadata: { [ARCHIVED_AT_METADATA]: archivedAt },
              TaggingDirective: 'REPLACE',
              Tagging: new URLSearchParams(
                kept.map((t): [string, string] => [t.Key ?? '', t.Value ?? '']),
              ).toString(),
            }),
          ),
        );
      } else {
        await this.call('tag', key, () =>
          this.client.send(
            new PutObjectTaggingCommand({ Bucket: this.bucket, Key: key, Tagging: { TagSet: kept } }),
          ),
        );
      }
    }
  }

  private async tags(key: string): Promise<Tag[] | undefined> {
    try {
      const result = await this.client.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key }));
      return result.TagSet ?? [];
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw this.mapError('read tags of', key, error);
    }
  }

  private async call<T>(action: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      throw this.mapError(action, key, error);
    }
  }

  private mapError(action: string, key: string, error: unknown): Error {
    const what = `evidence: ${action} ${key}`;
    return retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}
