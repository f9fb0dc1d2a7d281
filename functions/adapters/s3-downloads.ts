import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Downloads } from '../domain/ports.js';
import { ArchiveError, retryableErrorFor } from './errors.js';
import { defaultS3Client } from './s3-archive.js';

/** Key prefix of files handed out for download; the bucket's lifecycle deletes them after a day. */
export const DOWNLOADS_PREFIX = 'exports/';

/**
 * Days after it is written that a file handed out for download is deleted: the bucket's lifecycle
 * rule (CDK) and `npm start`'s sweeper both read this.
 */
export const DOWNLOADS_EXPIRE_AFTER_DAYS = 1;

/**
 * Files too large to answer through API Gateway and Lambda (a synchronous response is at most
 * 6 MB, base64 included), handed out from the records archive instead: written under
 * `exports/<random id>/`, read through a presigned GET that lasts minutes, deleted by the
 * bucket's lifecycle a day later. Encrypted with the bucket's key, like everything in it.
 */
export class S3Downloads implements Downloads {
  private readonly client: S3Client;

  constructor(private readonly options: { bucket: string; client?: S3Client }) {
    this.client = options.client ?? defaultS3Client();
  }

  async put(
    filename: string,
    body: Uint8Array,
    contentType: string,
    expiresSeconds: number,
  ): Promise<string> {
    const key = `${DOWNLOADS_PREFIX}${randomUUID()}/${filename}`;
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return await getSignedUrl(
        this.client,
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename="${filename}"`,
          ResponseCacheControl: 'no-store',
        }),
        { expiresIn: expiresSeconds },
      );
    } catch (error: unknown) {
      const what = `downloads: put ${filename}`;
      throw retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
    }
  }
}
