import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { EVIDENCE_PREFIX } from '../domain/evidence.js';
import { HOLD_TAG } from '../domain/legal-hold.js';
import type { ArchiveControl, RetentionClass } from '../domain/ports.js';
import { ArchiveError, retryableErrorFor } from './errors.js';
import { caseFileKey, defaultS3Client, RETENTION_TAG } from './s3-archive.js';

/**
 * Legal holds and erasure on the records archive: every object of one case — `cases/<id>.json`,
 * the letters under `cases/<id>/` and the evidence under `evidence/<id>/`.
 *
 * A hold re-tags each object `retention=hold`, a value no lifecycle rule names (`retentionRules`
 * makes one rule per retention class, each with a tag filter), so expiration never touches it;
 * the class it goes back to when the hold is lifted is not kept on the object but derived from
 * the case record (`retentionClassFor(ombudsmanInvolved)`), which stays right even if an
 * Ombudsman enquiry is recorded while the case is held. S3 Object Lock legal holds were
 * considered and not used: Object Lock can only be enabled on a bucket created with it (the
 * deployed archive was not), it cannot be emulated by the local S3 stand-in, and on a versioned
 * bucket a lifecycle expiration still adds a delete marker over a locked object — the case file
 * would vanish from every ordinary read, kept only as a non-current version that nobody looks at.
 * A tag that no rule matches keeps the current version current, which is what "kept" means here.
 */
export class S3RecordsControl implements ArchiveControl {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: { bucket: string; client?: S3Client }) {
    this.bucket = options.bucket;
    this.client = options.client ?? defaultS3Client();
  }

  async hold(caseId: string): Promise<number> {
    return this.retag(caseId, HOLD_TAG);
  }

  async release(caseId: string, retention: RetentionClass | 'open'): Promise<number> {
    return this.retag(caseId, retention);
  }

  async tags(caseId: string): Promise<Record<string, string | undefined>> {
    const out: Record<string, string | undefined> = {};
    for (const key of await this.keys(caseId)) {
      out[key] = (await this.tagSet(key)).find((t) => t.Key === RETENTION_TAG)?.Value;
    }
    return out;
  }

  async erase(caseId: string): Promise<number> {
    try {
      return (
        await deleteEveryVersion(
          this.client,
          this.bucket,
          casePrefixes(caseId),
          `archive: erase case ${caseId}`,
          (key) => belongs(caseId, key),
        )
      ).length;
    } catch (error: unknown) {
      if (error instanceof ArchiveError) throw error;
      throw this.failure('erase', caseId, error);
    }
  }

  /** The keys of every current object of the case. */
  private async keys(caseId: string): Promise<string[]> {
    return this.call('list', caseId, () =>
      listKeys(this.client, this.bucket, casePrefixes(caseId), (key) => belongs(caseId, key)),
    );
  }

  private async retag(caseId: string, value: string): Promise<number> {
    const keys = await this.keys(caseId);
    for (const key of keys) {
      // PutObjectTagging replaces the whole set: keep the others (the virus scan's verdict).
      const others = (await this.tagSet(key)).filter((t) => t.Key !== RETENTION_TAG);
      await this.call('tag', caseId, () =>
        this.client.send(
          new PutObjectTaggingCommand({
            Bucket: this.bucket,
            Key: key,
            Tagging: { TagSet: [...others, { Key: RETENTION_TAG, Value: value }] },
          }),
        ),
      );
    }
    return keys.length;
  }

  private async tagSet(key: string): Promise<Tag[]> {
    const result = await this.call('read tags of', key, () =>
      this.client.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key })),
    );
    return result.TagSet ?? [];
  }

  private async call<T>(action: string, caseId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      throw this.failure(action, caseId, error);
    }
  }

  private failure(action: string, caseId: string, error: unknown): Error {
    const what = `archive: ${action} case ${caseId}`;
    return retryableErrorFor(error, what) ?? new ArchiveError(`${what} failed`, { cause: error });
  }
}

/** What a store without versions answers ListObjectVersions (s3rver says MethodNotAllowed). */
const UNVERSIONED: ReadonlySet<string> = new Set(['MethodNotAllowed', 'NotImplemented']);

/**
 * Deletes every version and delete marker of every object under `prefixes` whose key `belongs`
 * (all by default), and answers the keys deleted. The bucket is versioned: deleting a key would
 * only add a delete marker and keep the data as a non-current version, so each version goes by
 * its id. The local S3 stand-in keeps one version per key and refuses ListObjectVersions
 * (`UNVERSIONED`): there, deleting each current key deletes everything there is. SDK errors are
 * thrown as they come; versions S3 would not delete, as an `ArchiveError` saying `what`.
 */
export async function deleteEveryVersion(
  client: S3Client,
  bucket: string,
  prefixes: readonly string[],
  what: string,
  belongs: (key: string) => boolean = () => true,
): Promise<string[]> {
  let versions: { Key: string; VersionId?: string }[];
  try {
    versions = await listVersions(client, bucket, prefixes, belongs);
  } catch (error: unknown) {
    if (!(error instanceof Error && UNVERSIONED.has(error.name))) throw error;
    const keys = await listKeys(client, bucket, prefixes, belongs);
    for (const key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return keys;
  }
  for (let i = 0; i < versions.length; i += 1000) {
    const batch = versions.slice(i, i + 1000);
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
    );
    if ((result.Errors ?? []).length > 0) {
      throw new ArchiveError(
        `${what}: ${result.Errors?.length} object versions were not deleted (${result.Errors?.[0]?.Code})`,
      );
    }
  }
  return [...new Set(versions.map((v) => v.Key))];
}

/** The keys of every current object under `prefixes` that `belongs`. */
async function listKeys(
  client: S3Client,
  bucket: string,
  prefixes: readonly string[],
  belongs: (key: string) => boolean,
): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of prefixes) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key && belongs(o.Key)) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return keys;
}

/** Every version and delete marker of every object under `prefixes` that `belongs`. */
async function listVersions(
  client: S3Client,
  bucket: string,
  prefixes: readonly string[],
  belongs: (key: string) => boolean,
): Promise<{ Key: string; VersionId?: string }[]> {
  const out: { Key: string; VersionId?: string }[] = [];
  for (const prefix of prefixes) {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (v.Key && belongs(v.Key))
          out.push({ Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) });
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  }
  return out;
}

/** Where a case's objects are: its case file, its letters, its evidence. */
function casePrefixes(caseId: string): string[] {
  return [caseFileKey(caseId), `cases/${caseId}/`, `${EVIDENCE_PREFIX}${caseId}/`];
}

/** Whether a listed key is the case's own (a prefix such as `cases/<id>.json` names no other case). */
function belongs(caseId: string, key: string): boolean {
  return (
    key === caseFileKey(caseId) ||
    key.startsWith(`cases/${caseId}/`) ||
    key.startsWith(`${EVIDENCE_PREFIX}${caseId}/`)
  );
}
