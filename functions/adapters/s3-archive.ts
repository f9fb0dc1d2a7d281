import {
  CopyObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { EVIDENCE_PREFIX } from '../domain/evidence.js';
import type { Archive, RetentionClass } from '../domain/ports.js';
import { traceClient } from '../observability.js';
import { hasEndpointOverride } from './config.js';
import { ArchiveError, ArchiveNotFoundError, retryableErrorFor } from './errors.js';

/**
 * The prefix the archive's ping lists under: within one the API may list (`grantRecordsControl`),
 * and holding no object (evidence is under `evidence/<case id>/`, a UUID), so the answer is S3's
 * alone, never about an object: the local stand-in reads each listed object's metadata, and one
 * left half-written by an upload cut off made the listing fail and S3 look down.
 */
export const PING_PREFIX = `${EVIDENCE_PREFIX}ping/`;

/** Name of the object tag that the bucket's lifecycle rules match on (see `retentionRules`). */
export const RETENTION_TAG = 'retention';

let sharedClient: S3Client | undefined;

/**
 * The process's S3 client, created on first use from the environment. With an endpoint override
 * (`AWS_ENDPOINT_URL_S3`, the local stand-in) it uses path-style addresses: a stand-in cannot
 * answer `<bucket>.<host>` names, while real S3 wants virtual-hosted ones.
 */
export function defaultS3Client(): S3Client {
  sharedClient ??= traceClient(new S3Client(hasEndpointOverride('S3') ? { forcePathStyle: true } : {}));
  return sharedClient;
}

/** The object key of a case's archived file. */
export function caseFileKey(caseId: string): string {
  return `cases/${caseId}.json`;
}

/** The object key of one letter of a case (beside its case file, under the same prefix). */
export function letterKey(caseId: string, name: string): string {
  return `cases/${caseId}/letters/${name}.pdf`;
}

/** The `retention` tag of a letter of a case still open: no lifecycle rule matches it. */
export const OPEN_CASE_TAG = 'open';

/** Metadata naming when a letter was archived with its case (the local sweeper counts from it). */
export const ARCHIVED_AT_METADATA = 'archived-at';

export interface S3ArchiveOptions {
  bucket: string;
  /** Defaults to the process's shared client. */
  client?: S3Client;
}

/**
 * `Archive` over one S3 bucket: `cases/<caseId>.json`, tagged `retention=2y|6y`, which the
 * bucket's lifecycle rules expire. Encryption is the bucket's default (SSE-KMS with its own key,
 * set by the stack): naming `aws:kms` per request without the key id would pick the AWS-managed
 * key instead, so requests carry no encryption header.
 */
export class S3Archive implements Archive {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3ArchiveOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? defaultS3Client();
  }

  async putCaseFile(caseId: string, file: unknown, retention: RetentionClass): Promise<{ key: string }> {
    const key = caseFileKey(caseId);
    await this.call('put', caseId, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(file),
          ContentType: 'application/json; charset=utf-8',
          // The tag is set with the object, so no object is ever without a retention class, and
          // one request is billed, not two.
          Tagging: `${RETENTION_TAG}=${retention}`,
        }),
      ),
    );
    return { key };
  }

  async setRetention(caseId: string, retention: RetentionClass): Promise<void> {
    const tags = await this.getTags(caseId);
    if (tags === undefined) throw new ArchiveNotFoundError(`no archived file for case ${caseId}`);
    // PutObjectTagging replaces the whole set: keep the tags other processes put there.
    const others = tags.filter((tag) => tag.Key !== RETENTION_TAG);
    await this.putTags(caseId, [...others, { Key: RETENTION_TAG, Value: retention }]);
  }

  async getRetention(caseId: string): Promise<RetentionClass | undefined> {
    const tags = await this.getTags(caseId);
    const value = tags?.find((tag) => tag.Key === RETENTION_TAG)?.Value;
    return value === '2y' || value === '6y' ? value : undefined;
  }

  async getCaseFile(caseId: string): Promise<unknown | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: caseFileKey(caseId) }),
      );
      const body = await result.Body?.transformToString('utf-8');
      return body === undefined ? undefined : JSON.parse(body);
    } catch (error: unknown) {
      if (isNoSuchKey(error)) return undefined;
      throw this.mapError('get', caseId, error);
    }
  }

  /**
   * The bucket is versioned: the file as it was stays as a non-current version until the
   * bucket's non-current expiry removes it (30 days by default), so a corrected value is gone
   * from the archive only then. The new version's lifecycle age counts from now, not from the
   * closure (S3 counts from an object's creation); the file's own `archivedAt` is kept, which
   * the local sweeper counts from.
   */
  async replaceCaseFile(caseId: string, file: unknown): Promise<void> {
    const tags = await this.getTags(caseId);
    if (tags === undefined) throw new ArchiveNotFoundError(`no archived file for case ${caseId}`);
    await this.call('rewrite', caseId, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: caseFileKey(caseId),
          Body: JSON.stringify(file),
          ContentType: 'application/json; charset=utf-8',
          Tagging: new URLSearchParams(
            tags.map((t): [string, string] => [t.Key ?? '', t.Value ?? '']),
          ).toString(),
        }),
      ),
    );
  }

  async putLetter(caseId: string, name: string, pdf: Uint8Array): Promise<{ key: string }> {
    const key = letterKey(caseId, name);
    await this.call('put a letter of', caseId, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: pdf,
          ContentType: 'application/pdf',
          Tagging: `${RETENTION_TAG}=${OPEN_CASE_TAG}`,
        }),
      ),
    );
    return { key };
  }

  async getLetter(caseId: string, name: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: letterKey(caseId, name) }),
      );
      return await result.Body?.transformToByteArray();
    } catch (error: unknown) {
      if (isNoSuchKey(error)) return undefined;
      throw this.mapError('get a letter of', caseId, error);
    }
  }

  async retainLetters(
    caseId: string,
    names: string[],
    retention: RetentionClass,
    archivedAt?: string,
  ): Promise<void> {
    for (const name of names) {
      const key = letterKey(caseId, name);
      if (archivedAt) {
        // S3 counts a lifecycle rule's days from the object's creation: copying the letter onto
        // itself makes that the case's closure, as it is for the case file written now. The copy
        // carries the new tag, so it needs no PutObjectTagging after it.
        await this.call('archive a letter of', caseId, () =>
          this.client.send(
            new CopyObjectCommand({
              Bucket: this.bucket,
              Key: key,
              CopySource: `${this.bucket}/${key}`,
              MetadataDirective: 'REPLACE',
              ContentType: 'application/pdf',
              Metadata: { [ARCHIVED_AT_METADATA]: archivedAt },
              TaggingDirective: 'REPLACE',
              Tagging: `${RETENTION_TAG}=${retention}`,
            }),
          ),
        );
      } else {
        await this.putTags(caseId, [{ Key: RETENTION_TAG, Value: retention }], key);
      }
    }
  }

  /**
   * Whether S3 answers for the bucket: a listing of at most one key under `PING_PREFIX`. Not
   * `HeadBucket`, which needs `s3:ListBucket` on the whole bucket: the functions that ask (the
   * API's `/health` and its evidence page) may list only under their prefixes (an IAM condition on
   * `s3:prefix`, which a request without a prefix never meets), so on AWS it was refused every
   * time and S3 reported down, the evidence page offering no form to anyone.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PING_PREFIX, MaxKeys: 1 }),
        {
          abortSignal: signal,
        },
      );
    } catch (error: unknown) {
      throw (
        retryableErrorFor(error, 'archive: ping') ??
        new ArchiveError('archive: ping failed', { cause: error })
      );
    }
  }

  private async getTags(caseId: string): Promise<Tag[] | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectTaggingCommand({ Bucket: this.bucket, Key: caseFileKey(caseId) }),
      );
      return result.TagSet ?? [];
    } catch (error: unknown) {
      if (isNoSuchKey(error)) return undefined;
      throw this.mapError('read tags of', caseId, error);
    }
  }

  private async putTags(caseId: string, tags: Tag[], key = caseFileKey(caseId)): Promise<void> {
    await this.call('tag', caseId, () =>
      this.client.send(
        new PutObjectTaggingCommand({
          Bucket: this.bucket,
          Key: key,
          Tagging: { TagSet: tags },
        }),
      ),
    );
  }

  private async call<T>(action: string, caseId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      if (isNoSuchKey(error))
        throw new ArchiveNotFoundError(`no archived file for case ${caseId}`, { cause: error });
      throw this.mapError(action, caseId, error);
    }
  }

  private mapError(action: string, caseId: string, error: unknown): Error {
    const what = `archive: ${action} case ${caseId}`;
    return retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
  }
}

function isNoSuchKey(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}
