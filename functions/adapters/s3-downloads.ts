import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Downloads } from '../domain/ports.js';
import { ArchiveError, retryableErrorFor } from './errors.js';
import { defaultS3Client } from './s3-archive.js';
import { deleteEveryVersion } from './s3-records-control.js';

/** Key prefix of files handed out for download; the bucket's lifecycle deletes them after a day. */
export const DOWNLOADS_PREFIX = 'exports/';

/**
 * Key prefix of the index of downloads by case: `exports/by-case/<case id>/<download id>`, one
 * empty object for each case a file holds, so an erasure lists its case's files with one prefix.
 * Under `DOWNLOADS_PREFIX`, it expires with the files; no download id (a UUID) is `by-case`.
 */
export const DOWNLOADS_BY_CASE_PREFIX = `${DOWNLOADS_PREFIX}by-case/`;

/**
 * Days after it is written that a file handed out for download is deleted: the bucket's lifecycle
 * rule (CDK) and `npm start`'s sweeper both read this.
 */
export const DOWNLOADS_EXPIRE_AFTER_DAYS = 1;

/**
 * Files too large to answer through API Gateway and Lambda (a synchronous response is at most
 * 6 MB, base64 included), handed out from the records archive instead: written under
 * `exports/<random id>/`, read through a presigned GET that lasts minutes, deleted by the
 * bucket's lifecycle a day later, or at once when one of the cases it holds is erased
 * (`eraseFor`). Encrypted with the bucket's key, like everything in it.
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
    caseIds: readonly string[],
  ): Promise<{ link: string; id: string }> {
    const id = randomUUID();
    const key = `${DOWNLOADS_PREFIX}${id}/${filename}`;
    try {
      // Filed under its cases first: a file is never stored where an erasure would not find it.
      for (const caseId of new Set(caseIds)) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key: indexKey(caseId, id),
            Body: new Uint8Array(),
          }),
        );
      }
      await this.client.send(
        new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentType: contentType }),
      );
      const link = await getSignedUrl(
        this.client,
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename="${filename}"`,
          ResponseCacheControl: 'no-store',
        }),
        { expiresIn: expiresSeconds },
      );
      return { link, id };
    } catch (error: unknown) {
      const what = `downloads: put ${filename}`;
      throw retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
    }
  }

  async remove(id: string): Promise<void> {
    const what = `downloads: remove ${id}`;
    // Only an id `put` made: never a prefix that reaches other files.
    if (!/^[\w-]+$/.test(id) || id === 'by-case') throw new ArchiveError(`${what}: not a download id`);
    try {
      await deleteEveryVersion(this.client, this.options.bucket, [`${DOWNLOADS_PREFIX}${id}/`], what);
    } catch (error: unknown) {
      if (error instanceof ArchiveError) throw error;
      throw retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
    }
  }

  async eraseFor(caseId: string): Promise<number> {
    const what = `downloads: erase those of case ${caseId}`;
    try {
      const index = `${DOWNLOADS_BY_CASE_PREFIX}${caseId}/`;
      const ids = new Set<string>();
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: index, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) ids.add(o.Key.slice(index.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      const files = await deleteEveryVersion(
        this.client,
        this.options.bucket,
        [...ids].filter((id) => /^[\w-]+$/.test(id)).map((id) => `${DOWNLOADS_PREFIX}${id}/`),
        what,
      );
      // The index goes last: a failure before leaves it there for the next erasure to find the files.
      await deleteEveryVersion(this.client, this.options.bucket, [index], what);
      return files.length;
    } catch (error: unknown) {
      if (error instanceof ArchiveError) throw error;
      throw retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
    }
  }
}

/** Where a download is filed under one of its cases. */
function indexKey(caseId: string, id: string): string {
  return `${DOWNLOADS_BY_CASE_PREFIX}${caseId}/${id}`;
}
